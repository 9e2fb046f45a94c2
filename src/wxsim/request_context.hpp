#pragma once
// What the pre-routing stage decided about the request the current thread is serving.
// httplib runs pre-routing, the route handler and post-routing of one request on one thread,
// so a thread-local context carries the decision to the handler and the outcome to the stats.

#include <string>

#include "wxsim/faults.hpp"

namespace httplib {
struct Request;
}

namespace wxsim {

class SimState;

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
    // The simulator serving the request (set by pre-routing).
    SimState* state = nullptr;
};

// The context of the request this thread is serving.
RequestContext& current_request();

// Counts the current API request in the stats as `outcome`, once.
void count_request(const httplib::Request& req, const std::string& outcome);

// Counts the current request as "drop", then closes its connection without an answer.
// False (nothing counted) when the connection cannot be found.
bool drop_current_request(const httplib::Request& req);

}  // namespace wxsim
