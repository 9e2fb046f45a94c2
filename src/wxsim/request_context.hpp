#pragma once
// What the pre-routing stage decided about the request the current thread is serving.
// httplib runs pre-routing, the route handler and post-routing of one request on one thread,
// so a thread-local context carries the decision to the handler and the outcome to the stats.

#include <string>

#include "wxsim/faults.hpp"

namespace wxsim {

struct RequestContext {
    // True from pre-routing until post-routing of the same request.
    bool active = false;
    // An API request (not /_sim/).
    bool api = false;
    // The connection was closed without an answer.
    bool dropped = false;
    // The request is already counted in the stats.
    bool counted = false;
    std::string tracking_id;
    Decision decision;
};

// The context of the request this thread is serving.
RequestContext& current_request();

}  // namespace wxsim
