// /v1/memberships and /v1/team/memberships.
#include "wxsim/responses.hpp"
#include "wxsim/router.hpp"

namespace wxsim {

namespace {

using httplib::Request;
using httplib::Response;

void register_room_memberships(Router& router, SimState& state) {
    router.post("/v1/memberships", [&state](const Request& req, Response& res) {
        const auto body = parse_body(req, res);
        if (body) {
            send_mutation(req, res, state.store().create_membership(*body));
        }
    });
    router.get("/v1/memberships", [&state](const Request& req, Response& res) {
        const auto items = state.store().list_memberships(req.get_param_value("roomId"),
                                                          req.get_param_value("personEmail"),
                                                          req.get_param_value("personId"));
        send_page(req, res, items, state.port());
    });
    router.get("/v1/memberships/([^/]+)", [&state](const Request& req, Response& res) {
        send_outcome(res, state.store().get_membership(req.matches[1]));
    });
    router.del("/v1/memberships/([^/]+)", [&state](const Request& req, Response& res) {
        send_mutation(req, res, state.store().delete_membership(req.matches[1]));
    });
}

}  // namespace

void register_membership_routes(Router& router, SimState& state) {
    register_room_memberships(router, state);
    router.post("/v1/team/memberships", [&state](const Request& req, Response& res) {
        const auto body = parse_body(req, res);
        if (body) {
            send_mutation(req, res, state.store().create_team_membership(*body));
        }
    });
    router.get("/v1/team/memberships", [&state](const Request& req, Response& res) {
        if (!req.has_param("teamId")) {
            send_error(res, 400, "teamId is required.");
            return;
        }
        const auto items = state.store().list_team_memberships(req.get_param_value("teamId"));
        send_page(req, res, items, state.port());
    });
}

}  // namespace wxsim
