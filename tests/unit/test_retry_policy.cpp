#include <vector>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "wxbatch/resilience/retry_policy.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::resilience {
namespace {

using wxbatch::testing::ScriptedRandom;

RetryState failed(int attempt, double since_start = 0) {
    RetryState s;
    s.attempt_number = attempt;
    s.seconds_since_start = since_start;
    return s;
}

TEST(RetryProfile, NamedProfiles) {
    const RetrySettings aggressive = retry_profile("aggressive");
    EXPECT_EQ(aggressive.profile, "aggressive");
    EXPECT_EQ(aggressive.max_attempts, 8);
    EXPECT_EQ(aggressive.base_delay_s, 0.5);
    EXPECT_EQ(aggressive.max_delay_s, 30);
    const RetrySettings normal = retry_profile("normal");
    EXPECT_EQ(normal.max_attempts, 5);
    EXPECT_EQ(normal.base_delay_s, 1);
    EXPECT_EQ(normal.max_delay_s, 60);
    EXPECT_EQ(normal.max_total_s, 0);
    EXPECT_TRUE(normal.jitter);
    const RetrySettings conservative = retry_profile("conservative");
    EXPECT_EQ(conservative.max_attempts, 3);
    EXPECT_EQ(conservative.base_delay_s, 2);
    EXPECT_EQ(conservative.max_delay_s, 120);
}

TEST(RetryProfile, UnknownNameIsAUsageError) {
    EXPECT_THROW(retry_profile("reckless"), UsageError);
    EXPECT_THROW(retry_profile(""), UsageError);
    EXPECT_THROW(retry_profile("Normal"), UsageError);
}

TEST(RetryPolicy, InvalidSettingsAreUsageErrors) {
    RetrySettings s = retry_profile("normal");
    s.max_attempts = 0;
    EXPECT_THROW(RetryPolicy{s}, UsageError);
    s = retry_profile("normal");
    s.base_delay_s = -1;
    EXPECT_THROW(RetryPolicy{s}, UsageError);
}

TEST(RetryPolicy, NormalProfileRetriesWithFullJitterThenGivesUpAtTheFifthAttempt) {
    const RetryPolicy policy(retry_profile("normal"));
    ScriptedRandom random({0.5, 0.5, 0.5, 0.5, 0.5});
    const std::vector<double> expected = {0.5, 1, 2, 4};
    for (int n = 1; n <= 4; ++n) {
        const RetryDecision d = policy.decide(failed(n), random, std::nullopt);
        EXPECT_EQ(d.action, RetryAction::Retry) << n;
        EXPECT_EQ(d.source, WaitSource::Backoff);
        EXPECT_EQ(d.wait.count(), expected[static_cast<std::size_t>(n - 1)]) << n;
    }
    const RetryDecision last = policy.decide(failed(5), random, std::nullopt);
    EXPECT_EQ(last.action, RetryAction::GiveUpExhausted);
    const auto calls = random.calls();
    ASSERT_EQ(calls.size(), 5u);
    EXPECT_EQ(calls[3], std::make_pair(0.0, 8.0));
    EXPECT_EQ(calls[4], std::make_pair(0.0, 16.0));
}

TEST(RetryPolicy, JitterCapIsTheMaxDelay) {
    RetrySettings s = retry_profile("aggressive");
    s.max_attempts = 100;
    const RetryPolicy policy(s);
    auto random = ScriptedRandom::always_hi();
    EXPECT_EQ(policy.decide(failed(7), random, std::nullopt).wait.count(), 30);  // 0.5*64 -> 30
    EXPECT_EQ(policy.decide(failed(6), random, std::nullopt).wait.count(), 16);
}

TEST(RetryPolicy, WithoutJitterWaitsArePlainExponential) {
    RetrySettings s = retry_profile("conservative");
    s.jitter = false;
    s.max_attempts = 10;
    const RetryPolicy policy(s);
    auto random = ScriptedRandom::always_lo();
    std::vector<double> got;
    for (int n = 1; n <= 8; ++n) {
        got.push_back(policy.decide(failed(n), random, std::nullopt).wait.count());
    }
    EXPECT_EQ(got, (std::vector<double>{2, 4, 8, 16, 32, 64, 120, 120}));
    EXPECT_TRUE(random.calls().empty());
}

TEST(RetryPolicy, RetryAfterTakesPrecedenceOverBackoff) {
    const RetryPolicy policy(retry_profile("normal"));
    auto random = ScriptedRandom::always_hi();
    const RetryDecision d = policy.decide(failed(1), random, Duration(17));
    EXPECT_EQ(d.action, RetryAction::Retry);
    EXPECT_EQ(d.source, WaitSource::RetryAfter);
    EXPECT_EQ(d.wait.count(), 17);
    EXPECT_TRUE(random.calls().empty());
    EXPECT_EQ(policy.decide(failed(5), random, Duration(17)).action, RetryAction::GiveUpExhausted);
}

TEST(RetryPolicy, MaxTotalPerRowStopsEarly) {
    RetrySettings s = retry_profile("normal");
    s.max_total_s = 10;
    const RetryPolicy policy(s);
    auto random = ScriptedRandom::always_hi();
    EXPECT_EQ(policy.decide(failed(2, 9.99), random, std::nullopt).action, RetryAction::Retry);
    EXPECT_EQ(policy.decide(failed(2, 10), random, std::nullopt).action,
              RetryAction::GiveUpExhausted);
}

// Tenacity's loop: the wait is computed, then the stop is checked, then the sleep happens.
TEST(TenacityLoop, ChainWithStopAfterFiveAttempts) {
    const Wait wait = wait_chain({wait_fixed(1), wait_fixed(2), wait_fixed(3)});
    const Stop stop = stop_after_attempt(5);
    auto random = ScriptedRandom::always_hi();
    std::vector<double> sleeps;
    RetryState state;
    int gave_up_at = 0;
    for (state.attempt_number = 1;; ++state.attempt_number) {
        state.upcoming_sleep = wait.compute(state, random).count();
        if (stop.should_stop(state)) {
            gave_up_at = state.attempt_number;
            break;
        }
        sleeps.push_back(state.upcoming_sleep);
        state.idle_for += state.upcoming_sleep;
        state.seconds_since_start += state.upcoming_sleep;
    }
    EXPECT_EQ(sleeps, (std::vector<double>{1, 2, 3, 3}));
    EXPECT_EQ(gave_up_at, 5);
    EXPECT_EQ(state.idle_for, 9);
}

}  // namespace
}  // namespace wxbatch::resilience
