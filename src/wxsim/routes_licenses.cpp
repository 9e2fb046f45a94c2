// /v1/licenses and /v1/licenses/users.
#include "wxsim/responses.hpp"
#include "wxsim/router.hpp"

namespace wxsim {

void register_license_routes(Router& router, SimState& state) {
    router.get("/v1/licenses", [&state](const httplib::Request& req, httplib::Response& res) {
        send_page(req, res, state.store().list_licenses(), state.port());
    });
    router.patch("/v1/licenses/users",
                 [&state](const httplib::Request& req, httplib::Response& res) {
                     const auto body = parse_body(req, res);
                     if (body) {
                         send_mutation(req, res, state.store().patch_licenses(*body));
                     }
                 });
}

}  // namespace wxsim
