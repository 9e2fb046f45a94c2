#include "wxsim/request_context.hpp"

namespace wxsim {

RequestContext& current_request() {
    thread_local RequestContext context;
    return context;
}

}  // namespace wxsim
