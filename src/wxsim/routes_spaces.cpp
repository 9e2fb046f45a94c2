// /v1/rooms, /v1/teams and /v1/messages.
#include "wxsim/responses.hpp"
#include "wxsim/router.hpp"

namespace wxsim {

namespace {

using httplib::Request;
using httplib::Response;

// A POST route whose JSON body goes to `create`, answered as a mutation.
template <typename Create>
void post_json(Router& router, const std::string& pattern, Create create) {
    router.post(pattern, [create](const Request& req, Response& res) {
        const auto body = parse_body(req, res);
        if (body) {
            send_mutation(req, res, create(*body));
        }
    });
}

}  // namespace

void register_space_routes(Router& router, SimState& state) {
    Store& store = state.store();
    post_json(router, "/v1/rooms",
              [&store](const nlohmann::json& b) { return store.create_room(b); });
    router.get("/v1/rooms", [&state](const Request& req, Response& res) {
        send_page(req, res, state.store().list_rooms(), state.port());
    });
    router.get("/v1/rooms/([^/]+)", [&store](const Request& req, Response& res) {
        send_outcome(res, store.get_room(req.matches[1]));
    });
    post_json(router, "/v1/teams",
              [&store](const nlohmann::json& b) { return store.create_team(b); });
    router.get("/v1/teams/([^/]+)", [&store](const Request& req, Response& res) {
        send_outcome(res, store.get_team(req.matches[1]));
    });
    post_json(router, "/v1/messages",
              [&store](const nlohmann::json& b) { return store.create_message(b); });
}

}  // namespace wxsim
