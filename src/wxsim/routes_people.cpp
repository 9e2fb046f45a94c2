// /v1/people and /v1/people/me.
#include "wxsim/request_context.hpp"
#include "wxsim/responses.hpp"
#include "wxsim/router.hpp"

namespace wxsim {

namespace {

using httplib::Request;
using httplib::Response;

void create_person(SimState& state, const Request& req, Response& res) {
    const auto body = parse_body(req, res);
    if (!body) {
        return;
    }
    const Outcome outcome = state.store().create_person(*body);
    const bool calling_data = req.get_param_value("callingData") == "true";
    if (outcome.status == 200 && calling_data && current_request().decision.calling_data_quirk) {
        send_error(res, 400,
                   "Calling data could not be applied; the person may have been created.");
        return;
    }
    send_mutation(req, res, outcome);
}

void replace_person(SimState& state, const Request& req, Response& res) {
    const auto body = parse_body(req, res);
    if (body) {
        send_mutation(req, res, state.store().replace_person(req.matches[1], *body));
    }
}

}  // namespace

void register_people_routes(Router& router, SimState& state) {
    router.get("/v1/people/me", [&state](const Request&, Response& res) {
        send_json(res, 200, state.store().me());
    });
    router.get("/v1/people", [&state](const Request& req, Response& res) {
        const auto people = state.store().list_people(req.get_param_value("email"),
                                                      req.get_param_value("displayName"),
                                                      req.get_param_value("id"));
        send_page(req, res, people, state.port());
    });
    router.post("/v1/people",
                [&state](const Request& req, Response& res) { create_person(state, req, res); });
    router.get("/v1/people/([^/]+)", [&state](const Request& req, Response& res) {
        send_outcome(res, state.store().get_person(req.matches[1]));
    });
    router.put("/v1/people/([^/]+)",
               [&state](const Request& req, Response& res) { replace_person(state, req, res); });
    router.del("/v1/people/([^/]+)", [&state](const Request& req, Response& res) {
        send_mutation(req, res, state.store().delete_person(req.matches[1]));
    });
}

}  // namespace wxsim
