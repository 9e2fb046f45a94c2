#include <string>

#include <gtest/gtest.h>

#include "wxbatch/resilience/policy_report.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::resilience {
namespace {

ResilienceSettings normal_settings() {
    ResilienceSettings s;
    s.retry = retry_profile("normal");
    return s;
}

TEST(PolicyReport, WaitTableOfTheNormalProfile) {
    const auto table = wait_table(retry_profile("normal"));
    ASSERT_EQ(table.size(), 5u);
    const double maxes[] = {1, 2, 4, 8};
    const double cumulative[] = {1, 3, 7, 15};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(table[i].attempt, i + 1);
        EXPECT_FALSE(table[i].gives_up);
        EXPECT_EQ(table[i].min_s, 0);
        EXPECT_EQ(table[i].max_s, maxes[i]);
        EXPECT_EQ(table[i].cumulative_max_s, cumulative[i]);
    }
    EXPECT_TRUE(table[4].gives_up);
    EXPECT_EQ(table[4].attempt, 5);
    EXPECT_EQ(table[4].cumulative_max_s, 15);
}

TEST(PolicyReport, WaitTableCapsAtMaxDelayAndWithoutJitterMinEqualsMax) {
    RetrySettings r = retry_profile("aggressive");
    auto table = wait_table(r);
    ASSERT_EQ(table.size(), 8u);
    EXPECT_EQ(table[6].max_s, 30);  // 0.5 * 64 capped at 30
    EXPECT_EQ(table[6].cumulative_max_s, 0.5 + 1 + 2 + 4 + 8 + 16 + 30);
    r.jitter = false;
    table = wait_table(r);
    EXPECT_EQ(table[2].min_s, 2);
    EXPECT_EQ(table[2].max_s, 2);
}

TEST(PolicyReport, JsonCarriesSettingsWaitsAndWorstCase) {
    const auto json = policy_json(normal_settings());
    EXPECT_EQ(json["retry"]["profile"], "normal");
    EXPECT_EQ(json["retry"]["max_attempts"], 5);
    EXPECT_EQ(json["breaker"]["window"], 20);
    EXPECT_EQ(json["breaker"]["open_s"], 45);
    EXPECT_EQ(json["rate_limit"]["max_waits_per_row"], 20);
    EXPECT_EQ(json["retry_after_cap_s"], 300);
    EXPECT_EQ(json["forbidden_rows_systemic"], 5);
    ASSERT_EQ(json["waits"].size(), 5u);
    EXPECT_EQ(json["waits"][3]["max_s"], 8);
    EXPECT_EQ(json["waits"][3]["cumulative_max_s"], 15);
    EXPECT_EQ(json["waits"][4]["gives_up"], true);
    EXPECT_EQ(json["worst_case_row_s"], 15 + 5 * 30);
}

TEST(PolicyReport, TextListsEveryAttempt) {
    const std::string text = render_policy_text(normal_settings());
    EXPECT_NE(text.find("retry profile normal: 5 attempts, base 1 s, max delay 60 s, full jitter"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("      4  [0, 8]                 15\n"), std::string::npos) << text;
    EXPECT_NE(text.find("      5  give up\n"), std::string::npos) << text;
    EXPECT_NE(text.find("worst case for one request: 165 s"), std::string::npos) << text;
    EXPECT_NE(text.find("opens at >= 50% failures (after 20 calls)"), std::string::npos) << text;
    EXPECT_NE(text.find("systemic stop: breaker open 600 s in total since it last closed;"),
              std::string::npos)
        << text;
}

TEST(PolicyReport, TextNamesBothBreakerBounds) {
    ResilienceSettings s = normal_settings();
    s.breaker.max_open_cycles = 3;
    s.breaker.minimum_calls = 0;
    s.breaker.window = 10;
    const std::string text = render_policy_text(s);
    EXPECT_NE(text.find("(after 10 calls)"), std::string::npos) << text;
    EXPECT_NE(text.find("breaker reopened more than 3 times in a row or open 600 s in total"),
              std::string::npos)
        << text;
    s.breaker.max_open_cycles = 0;
    s.breaker.max_open_total_s = 0;
    EXPECT_NE(render_policy_text(s).find("systemic stop: breaker never;"), std::string::npos);
}

TEST(PolicyReport, InvalidRetrySettingsThrow) {
    ResilienceSettings s = normal_settings();
    s.retry.max_attempts = 0;
    EXPECT_THROW(policy_json(s), UsageError);
}

}  // namespace
}  // namespace wxbatch::resilience
