#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "wxbatch/resilience/rate_governor.hpp"

namespace wxbatch::resilience {
namespace {

using wxbatch::testing::FakeClock;
using wxbatch::testing::FakeSleeper;

TEST(RateGovernor, NotPausedReturnsAtOnce) {
    FakeClock clock;
    FakeSleeper sleeper(clock);
    RateGovernor g;
    std::atomic<bool> stop{false};
    const WaitResult r = g.acquire(clock, sleeper, stop);
    EXPECT_EQ(r.waited.count(), 0);
    EXPECT_FALSE(r.stopped);
    EXPECT_EQ(sleeper.count(), 0u);
    EXPECT_EQ(g.paused_until(clock.now()), std::nullopt);
}

TEST(RateGovernor, PausesUntilRetryAfterInSlices) {
    FakeClock clock;
    FakeSleeper sleeper(clock);
    RateGovernor g;
    std::atomic<bool> stop{false};
    const MonoTime start = clock.now();
    g.on_rate_limited(start, Duration(0.35));
    EXPECT_EQ(g.paused_until(start), start + std::chrono::milliseconds(350));
    const WaitResult r = g.wait_until_clear(clock, sleeper, stop);
    EXPECT_FALSE(r.stopped);
    EXPECT_DOUBLE_EQ(r.waited.count(), 0.35);
    EXPECT_EQ(clock.now(), start + std::chrono::milliseconds(350));
    const auto sleeps = sleeper.sleeps();
    ASSERT_EQ(sleeps.size(), 4u);
    EXPECT_DOUBLE_EQ(sleeps[0].count(), 0.1);
    EXPECT_DOUBLE_EQ(sleeps[3].count(), 0.05);
    EXPECT_EQ(g.paused_until(clock.now()), std::nullopt);
}

TEST(RateGovernor, ExtendsButNeverShortensAPause) {
    FakeClock clock;
    RateGovernor g;
    const MonoTime t = clock.now();
    g.on_rate_limited(t, Duration(10));
    g.on_rate_limited(t + std::chrono::seconds(1), Duration(2));  // ends at +3: ignored
    EXPECT_EQ(g.paused_until(t), t + std::chrono::seconds(10));
    g.on_rate_limited(t + std::chrono::seconds(5), Duration(10));  // ends at +15: extends
    EXPECT_EQ(g.paused_until(t), t + std::chrono::seconds(15));
    const GovernorCounters c = g.counters();
    EXPECT_EQ(c.pauses, 1);
    EXPECT_EQ(c.extensions, 1);
    EXPECT_DOUBLE_EQ(c.seconds_paused, 15);
    g.on_rate_limited(t + std::chrono::seconds(20), Duration(4));  // a new pause
    EXPECT_EQ(g.counters().pauses, 2);
    EXPECT_DOUBLE_EQ(g.counters().seconds_paused, 19);
    g.on_rate_limited(t + std::chrono::seconds(30), Duration(0));  // nothing to pause
    EXPECT_EQ(g.counters().pauses, 2);
}

TEST(RateGovernor, StopFlagEndsTheWait) {
    FakeClock clock;
    FakeSleeper sleeper(clock);
    RateGovernor g;
    std::atomic<bool> stop{true};
    g.on_rate_limited(clock.now(), Duration(60));
    const WaitResult r = g.acquire(clock, sleeper, stop);
    EXPECT_TRUE(r.stopped);
    EXPECT_EQ(sleeper.count(), 0u);
}

TEST(RateGovernor, HugeRetryAfterDoesNotOverflow) {
    FakeClock clock;
    RateGovernor g;
    g.on_rate_limited(clock.now(), Duration(1e300));
    const auto until = g.paused_until(clock.now());
    ASSERT_TRUE(until);
    EXPECT_GT(*until, clock.now() + std::chrono::hours(24 * 365 * 50));
}

// A 429 seen by one worker holds every worker until the pause ends.
TEST(RateGovernor, AllWorkersWaitForOnePause) {
    FakeClock clock;
    RateGovernor g;
    std::atomic<bool> stop{false};
    const MonoTime start = clock.now();
    g.on_rate_limited(start, Duration(2));
    std::vector<MonoTime> cleared(4);
    std::vector<std::jthread> workers;
    for (std::size_t i = 0; i < cleared.size(); ++i) {
        workers.emplace_back([&, i] {
            FakeSleeper sleeper(clock);
            g.acquire(clock, sleeper, stop);
            cleared[i] = clock.now();
        });
    }
    workers.clear();  // joins
    for (const MonoTime t : cleared) {
        EXPECT_GE(t, start + std::chrono::seconds(2));
    }
    EXPECT_EQ(g.paused_until(clock.now()), std::nullopt);
}

}  // namespace
}  // namespace wxbatch::resilience
