// Pure parts of the simulator: token bucket, flag parsers, ids, endpoint keys, email check.
#include <gtest/gtest.h>

#include <stdexcept>

#include "wxsim/flags.hpp"
#include "wxsim/ids.hpp"
#include "wxsim/router.hpp"
#include "wxsim/stats.hpp"
#include "wxsim/token_bucket.hpp"
#include "wxsim/validate.hpp"

namespace wxsim {
namespace {

TEST(TokenBucket, AdmitsBurstThenReportsTheWaitForTheNextToken) {
    RateLimitOptions options;
    options.rate = 4;
    options.burst = 2;
    TokenBucket bucket(options);
    bucket.reset(0);
    EXPECT_FALSE(bucket.take(0).has_value());
    EXPECT_FALSE(bucket.take(0).has_value());
    ASSERT_TRUE(bucket.take(0).has_value());
    EXPECT_DOUBLE_EQ(*bucket.take(0.125), 0.125);
    EXPECT_FALSE(bucket.take(0.25).has_value());
    EXPECT_FALSE(bucket.take(10).has_value());
    EXPECT_FALSE(bucket.take(10).has_value());
    EXPECT_TRUE(bucket.take(10).has_value());
}

TEST(TokenBucket, ZeroRateAdmitsEverythingAndScheduleChangesTheRate) {
    RateLimitOptions options;
    options.rate = 0;
    options.schedule = {{5, 1}, {8, 0}};
    TokenBucket bucket(options);
    EXPECT_FALSE(bucket.take(0).has_value());
    EXPECT_FALSE(bucket.take(0).has_value());
    EXPECT_DOUBLE_EQ(bucket.rate_at(6), 1);
    EXPECT_DOUBLE_EQ(bucket.rate_at(9), 0);
}

TEST(Flags, ParsesFailOutageAndSlow) {
    const FaultRule rule = parse_fail_flag("POST:/v1/memberships:503:0.05");
    EXPECT_EQ(rule.method, "POST");
    EXPECT_EQ(rule.path_prefix, "/v1/memberships");
    EXPECT_EQ(rule.status, 503);
    EXPECT_DOUBLE_EQ(rule.probability, 0.05);
    const Outage outage = parse_outage_flag("5:3");
    EXPECT_DOUBLE_EQ(outage.start_s, 5);
    EXPECT_DOUBLE_EQ(outage.duration_s, 3);
    EXPECT_EQ(parse_slow_flag("0.01:3000"), std::make_pair(0.01, 3000.0));
    EXPECT_THROW(parse_fail_flag("POST:/v1:503"), std::invalid_argument);
    EXPECT_THROW(parse_fail_flag("POST:/v1:99:0.1"), std::invalid_argument);
    EXPECT_THROW(parse_fail_flag("POST:/v1:503:1.5"), std::invalid_argument);
    EXPECT_THROW(parse_outage_flag("x:1"), std::invalid_argument);
    EXPECT_THROW(parse_slow_flag("0.1"), std::invalid_argument);
}

TEST(Ids, Base64UrlWithoutPadding) {
    EXPECT_EQ(base64url(""), "");
    EXPECT_EQ(base64url("f"), "Zg");
    EXPECT_EQ(base64url("fo"), "Zm8");
    EXPECT_EQ(base64url("foo"), "Zm9v");
    EXPECT_EQ(base64url("foob"), "Zm9vYg");
    EXPECT_EQ(base64url("\xfb\xff"), "-_8");
    EXPECT_EQ(webex_id("PEOPLE", "x"), base64url("ciscospark://us/PEOPLE/x"));
    EXPECT_EQ(uuid_of_text("a@b.com"), uuid_of_text("a@b.com"));
    EXPECT_EQ(uuid_of_text("a@b.com").size(), 36u);
}

TEST(Stats, EndpointKeysReplaceIds) {
    EXPECT_EQ(endpoint_of("GET", "/v1/people/abc"), "GET /v1/people/{id}");
    EXPECT_EQ(endpoint_of("GET", "/v1/people/me"), "GET /v1/people/me");
    EXPECT_EQ(endpoint_of("POST", "/v1/memberships"), "POST /v1/memberships");
    EXPECT_EQ(endpoint_of("DELETE", "/v1/team/memberships/x"), "DELETE /v1/team/memberships/{id}");
    EXPECT_EQ(endpoint_of("PATCH", "/v1/licenses/users"), "PATCH /v1/licenses/{id}");
}

TEST(Validate, Emails) {
    EXPECT_TRUE(is_valid_email("a.b+c@example.co.uk"));
    for (const char* bad :
         {"", "a", "@b.com", "a@", "a@b", "a@@b.com", "a b@c.com", "a@b.com.", "a@.com"}) {
        EXPECT_FALSE(is_valid_email(bad)) << bad;
    }
    EXPECT_EQ(lower("MiXeD@Ex.COM"), "mixed@ex.com");
}

}  // namespace
}  // namespace wxsim

namespace wxsim {
namespace {

TEST(Router, KnowsPathsWithAnySegment) {
    httplib::Server server;
    Router router(server);
    const auto noop = [](const httplib::Request&, httplib::Response&) {};
    router.get("/v1/people", noop);
    router.del("/v1/people/([^/]+)", noop);
    EXPECT_TRUE(router.knows_path("/v1/people"));
    EXPECT_TRUE(router.knows_path("/v1/people/abc"));
    EXPECT_FALSE(router.knows_path("/v1/people/"));
    EXPECT_FALSE(router.knows_path("/v1/people/abc/x"));
    EXPECT_FALSE(router.knows_path("/v1/peoplex"));
    EXPECT_FALSE(router.knows_path("/v1"));
}

}  // namespace
}  // namespace wxsim
