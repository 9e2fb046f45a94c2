// /_sim/: the ledger, stats, reset and seed; no authentication, never rate limited.
#include <stdexcept>

#include "wxsim/responses.hpp"
#include "wxsim/router.hpp"

namespace wxsim {

void register_control_routes(Router& router, SimState& state) {
    using httplib::Request;
    using httplib::Response;
    router.get("/_sim/ledger", [&state](const Request&, Response& res) {
        send_json(res, 200, state.ledger().to_json());
    });
    router.get("/_sim/stats", [&state](const Request&, Response& res) {
        send_json(res, 200, state.stats().to_json());
    });
    router.get("/_sim/health", [](const Request&, Response& res) {
        send_json(res, 200, {{"status", "ok"}});
    });
    router.post("/_sim/reset", [&state](const Request&, Response& res) {
        state.reset();
        send_json(res, 200, {{"reset", true}});
    });
    router.post("/_sim/seed", [&state](const Request& req, Response& res) {
        const auto body = parse_body(req, res);
        if (!body) {
            return;
        }
        try {
            send_json(res, 200, state.store().seed(*body));
        } catch (const std::exception& e) {
            send_error(res, 400, e.what());
        }
    });
}

}  // namespace wxsim
