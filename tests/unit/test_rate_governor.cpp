#include <atomic>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "wxbatch/resilience/rate_governor.hpp"
#include "wxbatch/resilience/resilience_stats.hpp"

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

PacingSettings halving() {
    PacingSettings s;
    s.decrease_factor = 0.5;
    s.quick_decrease_factor = 0.5;
    s.tolerance_s = 0;
    return s;
}

// Teaches `g` (with halving() settings) 10 req/s: 41 requests in 2 s, x0.5; its pause ended.
void learn_10_per_s(RateGovernor& g, FakeClock& clock) {
    FakeSleeper sleeper(clock);
    std::atomic<bool> stop{false};
    for (int i = 0; i < 41; ++i) {
        EXPECT_EQ(g.acquire(clock, sleeper, stop).waited.count(), 0);  // unlimited
    }
    clock.advance(Duration(2));
    g.on_rate_limited(clock.now(), Duration(1));
    clock.advance(Duration(1));
}

TEST(RateGovernor, PacesAtTheLearnedRateAfterA429) {
    FakeClock clock;
    RateGovernor g(halving());
    learn_10_per_s(g, clock);
    FakeSleeper sleeper(clock);
    std::atomic<bool> stop{false};
    EXPECT_EQ(g.pacing_rate(clock.now()), 10);
    EXPECT_EQ(g.acquire(clock, sleeper, stop).waited.count(), 0);
    const WaitResult second = g.acquire(clock, sleeper, stop);
    EXPECT_NEAR(second.waited.count(), 0.1, 1e-9);
    const GovernorCounters c = g.counters();
    EXPECT_DOUBLE_EQ(c.pacing.rate, 10);
    EXPECT_EQ(c.pacing.decreases, 1);
    EXPECT_EQ(c.pacing.paced_waits, 1);
    EXPECT_EQ(c.pauses, 1);
}

// Calls a hook before the first sleep, then advances the clock like FakeSleeper.
class HookedSleeper final : public Sleeper {
  public:
    HookedSleeper(FakeClock& clock, std::function<void()> hook)
        : m_clock(clock), m_hook(std::move(hook)) {}
    void sleep_for(Duration d) override {
        if (m_hook) {
            std::exchange(m_hook, nullptr)();
        }
        m_clock.advance(d);
    }

  private:
    FakeClock& m_clock;
    std::function<void()> m_hook;
};

TEST(RateGovernor, StopEndsTheWaitForASlot) {
    FakeClock clock;
    RateGovernor g(halving());
    learn_10_per_s(g, clock);
    std::atomic<bool> stop{false};
    FakeSleeper sleeper(clock);
    g.acquire(clock, sleeper, stop);
    HookedSleeper stopping(clock, [&] { stop = true; });
    const WaitResult r = g.acquire(clock, stopping, stop);
    EXPECT_TRUE(r.stopped);
    EXPECT_NEAR(r.waited.count(), 0.1, 1e-9);  // the slice in progress
}

TEST(RateGovernor, APauseDuringTheWaitForASlotIsWaitedOut) {
    FakeClock clock;
    RateGovernor g(halving());
    learn_10_per_s(g, clock);
    std::atomic<bool> stop{false};
    FakeSleeper sleeper(clock);
    g.acquire(clock, sleeper, stop);
    // While the caller waits 0.1 s for its slot, a 429 pauses everyone for 0.5 s.
    HookedSleeper pausing(clock, [&] { g.on_rate_limited(clock.now(), Duration(0.5)); });
    const WaitResult r = g.acquire(clock, pausing, stop);
    EXPECT_FALSE(r.stopped);
    EXPECT_NEAR(r.waited.count(), 0.5, 1e-9);  // the pause, then the first slot after it
    EXPECT_EQ(g.counters().pauses, 2);
    EXPECT_EQ(g.counters().pacing.decreases, 2);
}

TEST(RateGovernor, DisabledPacingOnlyPauses) {
    FakeClock clock;
    PacingSettings off;
    off.enabled = false;
    RateGovernor g(off);
    FakeSleeper sleeper(clock);
    std::atomic<bool> stop{false};
    g.on_rate_limited(clock.now(), Duration(1));
    clock.advance(Duration(1));
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(g.acquire(clock, sleeper, stop).waited.count(), 0);
    }
    EXPECT_EQ(g.pacing_rate(clock.now()), std::nullopt);
}

// The pacing rate goes down as well as up: ResilienceStats keeps the newest snapshot.
TEST(RateGovernor, StatsKeepTheNewestPacingSnapshot) {
    ResilienceStats stats;
    GovernorCounters newer;
    newer.revision = 7;
    newer.pacing.rate = 180;
    newer.pacing.decreases = 2;
    GovernorCounters older;
    older.revision = 5;
    older.pacing.rate = 450;
    older.pacing.decreases = 1;
    stats.set_governor(newer);
    stats.set_governor(older);
    const auto pacing = stats.to_json()["pacing"];
    EXPECT_EQ(pacing["rate"], 180);
    EXPECT_EQ(pacing["decreases"], 2);
}

}  // namespace
}  // namespace wxbatch::resilience
