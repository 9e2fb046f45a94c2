#pragma once
// Registers routes on the httplib server and remembers their path patterns, so an unknown
// method on a known path can be answered 405 instead of 404. Patterns are literal paths whose
// segments may be `([^/]+)` (any non-empty segment).

#include <string>
#include <vector>

#include <httplib.h>

#include "wxsim/sim_state.hpp"

namespace wxsim {

class Router {
  public:
    using Handler = httplib::Server::Handler;

    explicit Router(httplib::Server& server) : m_server(server) {}

    void get(const std::string& pattern, Handler handler);
    void post(const std::string& pattern, Handler handler);
    void put(const std::string& pattern, Handler handler);
    void patch(const std::string& pattern, Handler handler);
    void del(const std::string& pattern, Handler handler);

    // True when some route, of any method, matches `path`.
    bool knows_path(const std::string& path) const;

  private:
    void remember(const std::string& pattern);

    httplib::Server& m_server;
    std::vector<std::string> m_patterns;
};

// Each registers the routes of one resource family.
void register_people_routes(Router& router, SimState& state);
void register_license_routes(Router& router, SimState& state);
void register_membership_routes(Router& router, SimState& state);
void register_space_routes(Router& router, SimState& state);
void register_control_routes(Router& router, SimState& state);

}  // namespace wxsim
