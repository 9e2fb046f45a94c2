// Fault injection seen by a real client: rate limit, injected statuses, outages, revocation,
// dropped connections, applied-then-failed, the calling-data quirk and seeded determinism.
#include <chrono>

#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

using nlohmann::json;

class FaultsTest : public SimTest {
  protected:
    long me() { return m_client->get("/v1/people/me").status; }
    void seed_room() { seed({{"rooms", {{{"id", "R"}, {"title", "Room"}}}}}); }
};

TEST_F(FaultsTest, RateLimitAnswers429WithRetryAfterSecondsAndRefills) {
    m_options.rate_limit.rate = 2;
    m_options.rate_limit.burst = 2;
    m_options.rate_limit.retry_after_s = 3;
    start();
    EXPECT_EQ(me(), 200);
    EXPECT_EQ(me(), 200);
    const auto limited = m_client->get("/v1/people/me");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("retry-after"), "3");
    m_clock.advance(0.5);
    EXPECT_EQ(me(), 200);
    EXPECT_EQ(me(), 429);
    EXPECT_EQ(stats().at("by_status"), json({{"200", 3}, {"429", 2}}));
}

TEST_F(FaultsTest, RetryAfterCanBeAnHttpDate) {
    m_options.rate_limit = {1, 1, 2, RetryAfterFormat::HttpDate, {}};
    start();
    EXPECT_EQ(me(), 200);
    const auto limited = m_client->get("/v1/people/me");
    EXPECT_EQ(limited.status, 429);
    // IMF-fixdate, e.g. "Tue, 24 Nov 2026 21:04:37 GMT".
    const std::string date = limited.header("retry-after");
    ASSERT_EQ(date.size(), 29u) << date;
    EXPECT_EQ(date.substr(3, 2), ", ") << date;
    EXPECT_EQ(date.substr(25), " GMT") << date;
    EXPECT_EQ(date[19], ':') << date;
    EXPECT_EQ(date[22], ':') << date;
}

TEST_F(FaultsTest, RetryAfterCanBeMalformed) {
    m_options.rate_limit = {1, 1, 2, RetryAfterFormat::Malformed, {}};
    start();
    EXPECT_EQ(me(), 200);
    EXPECT_EQ(m_client->get("/v1/people/me").header("retry-after"), "rand(30),add(30)");
}

TEST_F(FaultsTest, RateScheduleLowersTheRateMidRun) {
    m_options.rate_limit.rate = 100;
    m_options.rate_limit.burst = 1;
    m_options.rate_limit.schedule = {{10, 1}};
    start();
    EXPECT_EQ(me(), 200);
    m_clock.advance(0.02);
    EXPECT_EQ(me(), 200);
    m_clock.advance(10);
    EXPECT_EQ(me(), 200);
    m_clock.advance(0.5);
    EXPECT_EQ(me(), 429);
    m_clock.advance(0.5);
    EXPECT_EQ(me(), 200);
}

TEST_F(FaultsTest, InjectedStatusesMatchMethodAndPathPrefix) {
    m_options.faults = {{"POST", "/v1/memberships", 503, 1.0, 2},
                        {"*", "/v1/people/", 423, 1.0, 0}};
    start();
    seed_room();
    const auto failed =
        m_client->post("/v1/memberships", {{"roomId", "R"}, {"personEmail", "a@example.com"}});
    EXPECT_EQ(failed.status, 503);
    EXPECT_EQ(failed.header("retry-after"), "2");
    EXPECT_EQ(m_client->get("/v1/memberships?roomId=R").status, 200);
    const auto locked = m_client->get("/v1/people/me");
    EXPECT_EQ(locked.status, 423);
    EXPECT_EQ(locked.header("retry-after"), "1");
    EXPECT_EQ(ledger(), json::object());
}

TEST_F(FaultsTest, OutageByRequestCount) {
    m_options.outages = {{-1, 0, 2, 2}};
    start();
    EXPECT_EQ(me(), 200);
    EXPECT_EQ(me(), 503);
    EXPECT_EQ(me(), 503);
    EXPECT_EQ(me(), 200);
}

TEST_F(FaultsTest, OutageByTime) {
    m_options.outages = {{5, 3, -1, 0}};
    start();
    EXPECT_EQ(me(), 200);
    m_clock.advance(5);
    EXPECT_EQ(me(), 503);
    m_clock.advance(2.9);
    EXPECT_EQ(me(), 503);
    m_clock.advance(0.1);
    EXPECT_EQ(me(), 200);
}

TEST_F(FaultsTest, TokenRevokedAfterNRequests) {
    m_options.revoke_after = 2;
    start();
    EXPECT_EQ(me(), 200);
    EXPECT_EQ(me(), 200);
    EXPECT_EQ(me(), 401);
    EXPECT_EQ(me(), 401);
}

TEST_F(FaultsTest, DroppedConnectionGetsNoResponseAndServerStaysUp) {
    m_options.drop_probability = 1;
    start();
    const auto dropped = m_client->get("/v1/people/me");
    EXPECT_EQ(dropped.code, CURLE_GOT_NOTHING) << curl_easy_strerror(dropped.code);
    EXPECT_EQ(dropped.status, 0);
    EXPECT_EQ(stats().at("by_status"), json({{"drop", 1}}));
}

TEST_F(FaultsTest, AppliedThenFailedWith502IsInTheLedger) {
    m_options.applied_then_failed_probability = 1;
    m_options.applied_then_failed_mode = FailMode::BadGateway;
    start();
    seed_room();
    const json body = {{"roomId", "R"}, {"personEmail", "a@example.com"}};
    EXPECT_EQ(m_client->post("/v1/memberships", body).status, 502);
    EXPECT_EQ(ledger(), json({{"membership:R:a@example.com", 1}}));
    EXPECT_EQ(m_client->post("/v1/memberships", body).status, 409);
    EXPECT_EQ(m_client->get("/v1/memberships?roomId=R").json().at("items").size(), 1u);
}

TEST_F(FaultsTest, AppliedThenFailedWithADropIsInTheLedger) {
    m_options.applied_then_failed_probability = 1;
    m_options.applied_then_failed_mode = FailMode::Drop;
    start();
    seed_room();
    const auto dropped =
        m_client->post("/v1/memberships", {{"roomId", "R"}, {"personEmail", "a@example.com"}});
    EXPECT_EQ(dropped.code, CURLE_GOT_NOTHING) << curl_easy_strerror(dropped.code);
    EXPECT_EQ(ledger(), json({{"membership:R:a@example.com", 1}}));
    EXPECT_EQ(stats().at("by_status"), json({{"drop", 1}}));
}

TEST_F(FaultsTest, CallingDataQuirkCreatesThePersonButAnswers400) {
    m_options.calling_data_quirk_probability = 1;
    start();
    const auto quirk = m_client->post("/v1/people?callingData=true",
                                      {{"emails", {"c@example.com"}}, {"extension", "1234"}});
    EXPECT_EQ(quirk.status, 400);
    const auto found = m_client->get("/v1/people?email=c%40example.com");
    ASSERT_EQ(found.json().at("items").size(), 1u);
    EXPECT_EQ(found.json().at("items").at(0).at("extension"), "1234");
    EXPECT_EQ(m_client->post("/v1/people", {{"emails", {"d@example.com"}}}).status, 200);
    EXPECT_EQ(ledger(), json({{"person:c@example.com", 1}, {"person:d@example.com", 1}}));
}

TEST_F(FaultsTest, LatencyAndSlowResponsesDelayTheAnswer) {
    m_options.latency_mean_ms = 20;
    m_options.slow_probability = 1;
    m_options.slow_delay_ms = 30;
    start();
    const auto begin = std::chrono::steady_clock::now();
    EXPECT_EQ(me(), 200);
    EXPECT_GE(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(50));
}

// The statuses of 40 requests to a server with a 50% injected 503.
std::vector<long> statuses_with_seed(std::uint64_t seed) {
    Options options;
    options.seed = seed;
    options.faults = {{"*", "/v1/", 503, 0.5, 0}};
    Server server;
    SimClient client("http://127.0.0.1:" + std::to_string(server.start(options)), "any");
    std::vector<long> statuses;
    for (int i = 0; i < 40; ++i) {
        statuses.push_back(client.get("/v1/people/me").status);
    }
    return statuses;
}

TEST(FaultsDeterminism, SameSeedSameFaultsOtherSeedOtherFaults) {
    const auto first = statuses_with_seed(42);
    EXPECT_EQ(first, statuses_with_seed(42));
    EXPECT_NE(first, statuses_with_seed(43));
    EXPECT_NE(std::count(first.begin(), first.end(), 503), 0);
    EXPECT_NE(std::count(first.begin(), first.end(), 200), 0);
}

}  // namespace
}  // namespace wxsim::test
