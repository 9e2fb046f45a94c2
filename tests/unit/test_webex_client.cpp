// WebexClient: request building (auth, TrackingID, JSON), answer reading, token validation.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/local_http_server.hpp"
#include "support/scripted_transport.hpp"
#include "wxbatch/webex/client.hpp"
#include "wxbatch/webex/curl_transport.hpp"

namespace wxbatch::webex {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_token = "tok-SECRET-123";

WebexClient make_client(const std::string& base = "http://127.0.0.1:9/v1") {
    return WebexClient(WebexClientConfig{base, "r1", 12000ms}, k_token);
}

Headers with(const std::string& name, const std::string& value) {
    Headers h;
    h.add(name, value);
    return h;
}

TEST(WebexClientBuild, MutationCarriesAuthJsonAndTrackingId) {
    const WebexClient client = make_client();
    ApiRequest request;
    request.method = HttpMethod::Post;
    request.path = "/people";
    request.query = {{"callingData", "true"}};
    request.body = nlohmann::json{{"emails", {"a@example.com"}}, {"displayName", "A"}};
    const HttpRequest http = client.build(request, 42, 3);
    EXPECT_EQ(http.method, HttpMethod::Post);
    EXPECT_EQ(http.url, "http://127.0.0.1:9/v1/people?callingData=true");
    EXPECT_EQ(http.timeout, 12000ms);
    EXPECT_EQ(http.headers.get("Authorization"), std::string("Bearer ") + k_token);
    EXPECT_EQ(http.headers.get("Accept"), "application/json");
    EXPECT_EQ(http.headers.get("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(http.headers.get("TrackingID"), "WXBATCH_r1_42_3");
    EXPECT_EQ(http.headers.get("User-Agent"), std::string("wxbatch/") + WXBATCH_VERSION);
    EXPECT_EQ(nlohmann::json::parse(http.body), *request.body);
}

TEST(WebexClientBuild, GetHasNoBodyNorContentType) {
    ApiRequest request;
    request.path = "people";
    request.query = {{"email", "jo+1@example.com"}};
    const HttpRequest http = make_client().build(request, 7, 1);
    EXPECT_EQ(http.method, HttpMethod::Get);
    EXPECT_EQ(http.url, "http://127.0.0.1:9/v1/people?email=jo%2B1%40example.com");
    EXPECT_EQ(http.body, "");
    EXPECT_EQ(http.headers.get("Content-Type"), std::nullopt);
    EXPECT_EQ(http.headers.get("TrackingID"), "WXBATCH_r1_7_1");
}

TEST(WebexClientBuild, TokenAppearsOnlyInTheAuthorizationHeader) {
    const WebexClient client = make_client();
    ApiRequest request;
    request.method = HttpMethod::Put;
    request.path = "/people/abc";
    request.body = nlohmann::json{{"displayName", "B"}};
    const HttpRequest http = client.build(request, 1, 1);
    EXPECT_THAT(http.url, Not(HasSubstr(k_token)));
    EXPECT_THAT(http.body, Not(HasSubstr(k_token)));
    for (const auto& [name, value] : http.headers.all()) {
        if (name != "Authorization") {
            EXPECT_THAT(value, Not(HasSubstr(k_token))) << name;
        }
    }
    EXPECT_EQ(client.redacted(), "<redacted, 14 chars>");
    EXPECT_EQ(client.tracking_id(5, 2), "WXBATCH_r1_5_2");
}

TEST(WebexClientFill, SuccessWithTrackingIdHeader) {
    HttpResponse response{200, with("TrackingID", "ROUTER_OK"), R"({"id":"p1"})"};
    ApiResult result;
    WebexClient::fill_result(response, result);
    EXPECT_EQ(result.status, CallStatus::Ok);
    EXPECT_EQ(result.http_status, 200);
    EXPECT_EQ(result.body(), nlohmann::json({{"id", "p1"}}));
    EXPECT_EQ(result.message, "");
    EXPECT_EQ(result.tracking_id, "ROUTER_OK");
    EXPECT_EQ(result.headers.get("trackingid"), "ROUTER_OK");
}

TEST(WebexClientFill, WebexErrorBodyGivesMessageAndTrackingId) {
    HttpResponse response{
        404, with("TrackingID", "HEADER_ID"),
        R"({"message":"Not Found","errors":[{"description":"Room not found"}],"trackingId":"BODY_ID"})"};
    ApiResult result;
    WebexClient::fill_result(response, result);
    EXPECT_EQ(result.status, CallStatus::HttpError);
    EXPECT_EQ(result.http_status, 404);
    EXPECT_EQ(result.message, "Not Found: Room not found");
    EXPECT_EQ(result.tracking_id, "BODY_ID");
}

TEST(WebexClientFill, NonJsonAndEmptyBodies) {
    ApiResult result;
    WebexClient::fill_result(HttpResponse{502, with("trackingid", "LOWER_ID"), "<html>x</html>"},
                             result);
    EXPECT_EQ(result.status, CallStatus::HttpError);
    EXPECT_TRUE(result.body().is_null());
    EXPECT_EQ(result.message, "HTTP 502 (body not JSON: <html>x</html>)");
    EXPECT_EQ(result.tracking_id, "LOWER_ID");
    WebexClient::fill_result(HttpResponse{204, {}, ""}, result);
    EXPECT_EQ(result.status, CallStatus::Ok);
    EXPECT_TRUE(result.body().is_null());
    EXPECT_EQ(result.message, "");
    EXPECT_EQ(result.tracking_id, "");
}

TEST(WebexClientGetMe, ReturnsThePersonAndSendsTheValidationRequest) {
    test::ScriptedTransport transport;
    transport.respond(200, R"({"id":"me","emails":["admin@example.com"]})");
    auto me = make_client().get_me(transport);
    ASSERT_TRUE(me.has_value()) << me.error();
    EXPECT_EQ((*me)["id"], "me");
    const auto requests = transport.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].method, HttpMethod::Get);
    EXPECT_EQ(requests[0].url, "http://127.0.0.1:9/v1/people/me");
    EXPECT_EQ(requests[0].headers.get("TrackingID"), "WXBATCH_r1_0_1");
}

TEST(WebexClientGetMe, ExplainsEveryFailureWithoutTheToken) {
    test::ScriptedTransport transport;
    transport
        .respond(
            401,
            R"({"message":"The request requires a valid access token set in the Authorization request header.","trackingId":"T1"})")
        .respond(403, "")
        .fail(TransportErrorKind::Connect, false, "could not connect to 127.0.0.1: refused")
        .respond(200, "not json");
    const WebexClient client = make_client();
    const std::string expected[] = {
        "the token was rejected (401): The request requires a valid access token set in the "
        "Authorization request header.; check WEBEX_ACCESS_TOKEN, --token-file or --token-command",
        "GET http://127.0.0.1:9/v1/people/me answered 403: HTTP 403",
        "could not reach the Webex API at http://127.0.0.1:9/v1: could not connect to "
        "127.0.0.1: refused",
        "GET http://127.0.0.1:9/v1/people/me answered 200 without a JSON person",
    };
    for (const auto& message : expected) {
        auto me = client.get_me(transport);
        ASSERT_FALSE(me.has_value());
        EXPECT_EQ(me.error(), message);
        EXPECT_THAT(me.error(), Not(HasSubstr(k_token)));
    }
}

TEST(WebexClientGetMe, OverARealTransport) {
    test::TransportEnv env;
    test::LocalHttpServer server([](httplib::Server& s) {
        s.Get("/v1/people/me", [](const httplib::Request& req, httplib::Response& res) {
            if (req.get_header_value("Authorization") != std::string("Bearer ") + k_token) {
                res.status = 401;
                res.set_content(R"({"message":"bad token"})", "application/json");
                return;
            }
            res.set_content(R"({"id":"me","displayName":"Admin"})", "application/json");
        });
    });
    CurlTransport transport;
    auto me = make_client(server.url() + "/v1").get_me(transport);
    ASSERT_TRUE(me.has_value()) << me.error();
    EXPECT_EQ((*me)["displayName"], "Admin");
    WebexClient wrong(WebexClientConfig{server.url() + "/v1", "r1", 5000ms}, "other");
    auto rejected = wrong.get_me(transport);
    ASSERT_FALSE(rejected.has_value());
    EXPECT_THAT(rejected.error(), HasSubstr("the token was rejected (401): bad token"));
}

}  // namespace
}  // namespace wxbatch::webex
