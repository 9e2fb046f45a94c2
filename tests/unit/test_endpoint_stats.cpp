// EndpointStats: the per-endpoint profile of run_summary.json, counted exactly.

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "wxbatch/engine/endpoint_stats.hpp"

namespace wxbatch::engine {
namespace {

TEST(EndpointStats, CountsRequestsRetriesAndAnswersPerEndpoint) {
    EndpointStats stats;
    const std::string lookup = "GET /people";
    const std::string create = "POST /people";
    stats.record({lookup, 10, "200", false});
    stats.record({create, 20, "429", false});
    stats.record({create, 30, "503", true});
    stats.record({create, 40, "timeout", true});
    stats.record({create, 50, "200", true});
    stats.record({"", 1, "connect", false});

    report::RunSummary s;
    stats.fill(s);
    ASSERT_EQ(s.endpoints.size(), 3U);
    const auto& c = s.endpoints.at(create);
    EXPECT_EQ(c.requests, 4U);
    EXPECT_EQ(c.retries, 3U);
    const std::map<std::string, std::uint64_t> answers{
        {"200", 1}, {"429", 1}, {"503", 1}, {"timeout", 1}};
    EXPECT_EQ(c.answers, answers);
    EXPECT_EQ(c.latency.count, 4U);
    EXPECT_DOUBLE_EQ(c.latency.max_ms, 50.0);
    EXPECT_EQ(s.endpoints.at(lookup).requests, 1U);
    EXPECT_EQ(s.endpoints.at(lookup).retries, 0U);
    EXPECT_EQ(s.endpoints.at("other").answers.at("connect"), 1U);
    // The latency figures of run_summary.json agree with the profile.
    EXPECT_EQ(s.latency.count, 6U);
    EXPECT_DOUBLE_EQ(s.endpoints.at(lookup).latency.max_ms, 10.0);

    const nlohmann::json doc = report::to_json(s);
    EXPECT_EQ(doc["performance"]["requests"], 6);
    EXPECT_EQ(doc["performance"]["retries"], 3);
    EXPECT_EQ(doc["performance"]["by_endpoint"][create]["answers"]["timeout"], 1);
    EXPECT_EQ(doc["latency_ms"]["by_endpoint"][create]["count"], 4);
    EXPECT_EQ(doc["latency_ms"]["by_endpoint"][lookup]["max_ms"], 10.0);
}

TEST(EndpointStats, LanesRecordingTogetherLoseNothing) {
    EndpointStats stats;
    const std::string endpoint = "POST /memberships";
    std::vector<std::jthread> lanes;
    for (int lane = 0; lane < 4; ++lane) {
        lanes.emplace_back([&stats, &endpoint, lane] {
            for (int i = 0; i < 1000; ++i) {
                stats.record({endpoint, 1.0 + lane, i % 10 == 0 ? "429" : "200", i % 10 == 1});
            }
        });
    }
    lanes.clear();
    report::RunSummary s;
    stats.fill(s);
    const auto& e = s.endpoints.at(endpoint);
    EXPECT_EQ(e.requests, 4000U);
    EXPECT_EQ(e.retries, 400U);
    EXPECT_EQ(e.answers.at("429"), 400U);
    EXPECT_EQ(e.answers.at("200"), 3600U);
    EXPECT_EQ(s.latency.count, 4000U);
}

}  // namespace
}  // namespace wxbatch::engine
