#include "wxsim/request_context.hpp"

#include <httplib.h>

#include "wxsim/connection.hpp"
#include "wxsim/sim_state.hpp"

namespace wxsim {

RequestContext& current_request() {
    thread_local RequestContext context;
    return context;
}

void count_request(const httplib::Request& req, const std::string& outcome) {
    RequestContext& context = current_request();
    if (!context.counted && context.state != nullptr) {
        context.counted = true;
        context.state->stats().record(outcome, endpoint_of(req.method, req.path),
                                      static_cast<std::int64_t>(context.state->now()));
    }
}

bool drop_current_request(const httplib::Request& req) {
    const int fd = find_connection(req);
    if (fd < 0) {
        return false;
    }
    // Counted before the client can see the connection close, so a client that asks for the
    // stats right after the drop finds it.
    count_request(req, "drop");
    current_request().dropped = true;
    drop_connection(fd);
    return true;
}

}  // namespace wxsim
