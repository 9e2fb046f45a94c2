#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "wxbatch/resilience/circuit_breaker.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::resilience {
namespace {

using wxbatch::testing::FakeClock;

BreakerSettings small(double open_s = 5) {
    BreakerSettings s;
    s.window = 5;
    s.failure_threshold = 0.5;
    s.minimum_calls = 5;
    s.open_s = open_s;
    s.half_open_probes = 3;
    s.max_open_total_s = 0;
    return s;
}

// Feeds "F"/"S"/"I" verdicts, each as a permitted call.
void feed(CircuitBreaker& b, const std::string& verdicts, MonoTime now) {
    for (char v : verdicts) {
        ASSERT_EQ(b.allow(now), Permission::Permitted);
        b.record(v == 'F'   ? CallVerdict::Failure
                 : v == 'S' ? CallVerdict::Success
                            : CallVerdict::Ignored,
                 now);
    }
}

Duration secs(double s) {
    return Duration(s);
}

TEST(CircuitBreaker, OpensAtSixtyPercentOnceTheWindowIsFull) {
    FakeClock clock;
    CircuitBreaker b(small());
    feed(b, "FFFS", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);  // 4 calls < minimum 5
    feed(b, "S", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
    EXPECT_EQ(b.allow(clock.now()), Permission::RejectedOpen);
}

TEST(CircuitBreaker, FortyPercentStaysClosedOneMoreFailureOpens) {
    FakeClock clock;
    CircuitBreaker b(small());
    feed(b, "SSSFF", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);
    feed(b, "F", clock.now());  // the window slides to S S F F F = 60%
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
}

TEST(CircuitBreaker, ExactlyFiftyPercentOpens) {
    FakeClock clock;
    BreakerSettings s = small();
    s.window = 6;  // minimum calls stay 5
    CircuitBreaker b(s);
    feed(b, "SSSFF", clock.now());  // 40% over the minimum 5 calls
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);
    feed(b, "F", clock.now());  // 3 of 6 = exactly 50%
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
}

TEST(CircuitBreaker, ExactlyHalfOfAWindowOfTenOpens) {
    FakeClock clock;
    BreakerSettings s = small();
    s.window = 10;
    s.minimum_calls = 10;
    CircuitBreaker b(s);
    feed(b, "SSSSSFFFF", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);
    feed(b, "F", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
}

TEST(CircuitBreaker, SlidingWindowForgetsOldCalls) {
    FakeClock clock;
    CircuitBreaker b(small());
    feed(b, "FFSSS", clock.now());  // 40%
    feed(b, "SS", clock.now());     // window S S S S S... oldest F F dropped
    feed(b, "FF", clock.now());     // window S S S F F = 40%
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);
}

TEST(CircuitBreaker, IgnoredVerdictsDoNotCount) {
    FakeClock clock;
    CircuitBreaker b(small());
    feed(b, "FFIIIIS", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);
    feed(b, "SF", clock.now());  // F F S S F = 60%
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
}

TEST(CircuitBreaker, OpenRejectsUntilTheOpenDurationThenHalfOpens) {
    FakeClock clock;
    CircuitBreaker b(small(5));
    feed(b, "FFFFF", clock.now());
    const MonoTime opened = clock.now();
    EXPECT_EQ(b.next_probe_at(), opened + std::chrono::seconds(5));
    clock.advance(secs(3));
    EXPECT_EQ(b.allow(clock.now()), Permission::RejectedOpen);
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
    clock.advance(secs(3));
    EXPECT_EQ(b.state(clock.now()), BreakerState::HalfOpen);
    EXPECT_EQ(b.next_probe_at(), std::nullopt);
}

TEST(CircuitBreaker, HalfOpenAllowsThreeProbesAndClosesWhenAllSucceed) {
    FakeClock clock;
    CircuitBreaker b(small(5));
    feed(b, "FFFFF", clock.now());
    clock.advance(secs(6));
    const MonoTime now = clock.now();
    EXPECT_EQ(b.allow(now), Permission::Permitted);
    EXPECT_EQ(b.allow(now), Permission::Permitted);
    EXPECT_EQ(b.allow(now), Permission::Permitted);
    EXPECT_EQ(b.allow(now), Permission::RejectedHalfOpenFull);
    b.record(CallVerdict::Success, now);
    EXPECT_EQ(b.allow(now), Permission::RejectedHalfOpenFull);  // successes keep their slot
    b.record(CallVerdict::Success, now);
    b.record(CallVerdict::Success, now);
    EXPECT_EQ(b.state(now), BreakerState::Closed);
    // The window was cleared: four failures are below the minimum number of calls.
    feed(b, "FFFF", now);
    EXPECT_EQ(b.state(now), BreakerState::Closed);
}

TEST(CircuitBreaker, AnyHalfOpenFailureReopensAtOnce) {
    FakeClock clock;
    CircuitBreaker b(small(5));
    feed(b, "FFFFF", clock.now());
    clock.advance(secs(6));
    feed(b, "S", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::HalfOpen);
    ASSERT_EQ(b.allow(clock.now()), Permission::Permitted);
    b.record(CallVerdict::Failure, clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
    EXPECT_EQ(b.next_probe_at(), clock.now() + std::chrono::seconds(5));
}

TEST(CircuitBreaker, ReleaseAndIgnoredFreeHalfOpenSlots) {
    FakeClock clock;
    CircuitBreaker b(small(5));
    feed(b, "FFFFF", clock.now());
    clock.advance(secs(5));
    const MonoTime now = clock.now();
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(b.allow(now), Permission::Permitted);
    }
    EXPECT_EQ(b.allow(now), Permission::RejectedHalfOpenFull);
    b.release(now);
    EXPECT_EQ(b.allow(now), Permission::Permitted);
    b.record(CallVerdict::Ignored, now);
    EXPECT_EQ(b.allow(now), Permission::Permitted);
    EXPECT_EQ(b.state(now), BreakerState::HalfOpen);
}

TEST(CircuitBreaker, TransitionsAndCounters) {
    FakeClock clock;
    CircuitBreaker b(small(5));
    const MonoTime t0 = clock.now();
    feed(b, "FFFFF", t0);
    clock.advance(secs(7));
    feed(b, "F", clock.now());  // half-open at +7, open again at +7
    EXPECT_EQ(b.counters(clock.now()).seconds_open, 5);
    clock.advance(secs(2));
    EXPECT_EQ(b.counters(clock.now()).seconds_open, 7);  // the running period counts
    clock.advance(secs(4));
    feed(b, "SSS", clock.now());
    const BreakerCounters c = b.counters(clock.now());
    EXPECT_EQ(c.opens, 2);
    EXPECT_EQ(c.half_opens, 2);
    EXPECT_EQ(c.closes, 1);
    EXPECT_EQ(c.seconds_open, 10);
    const auto t = b.transitions();
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t[0].from, BreakerState::Closed);
    EXPECT_EQ(t[0].to, BreakerState::Open);
    EXPECT_EQ(t[0].at, t0);
    EXPECT_EQ(t[1].to, BreakerState::HalfOpen);
    EXPECT_EQ(t[1].at, t0 + std::chrono::seconds(7));
    EXPECT_EQ(t[2].to, BreakerState::Open);
    EXPECT_EQ(t[3].to, BreakerState::HalfOpen);
    EXPECT_EQ(t[4].to, BreakerState::Closed);
    EXPECT_EQ(t[4].at, t0 + std::chrono::seconds(13));
}

TEST(CircuitBreaker, ExceedsPolicyAfterTooManyConsecutiveOpenCycles) {
    FakeClock clock;
    BreakerSettings s = small(5);
    s.max_open_cycles = 2;
    CircuitBreaker b(s);
    feed(b, "FFFFF", clock.now());
    EXPECT_FALSE(b.exceeded_policy(clock.now()));
    clock.advance(secs(5));
    feed(b, "F", clock.now());  // second consecutive opening
    EXPECT_FALSE(b.exceeded_policy(clock.now()));
    clock.advance(secs(5));
    feed(b, "F", clock.now());  // third
    EXPECT_TRUE(b.exceeded_policy(clock.now()));
}

TEST(CircuitBreaker, ExceedsPolicyAfterTotalSecondsOpenAndCloseResetsIt) {
    FakeClock clock;
    BreakerSettings s = small(5);
    s.max_open_total_s = 12;
    CircuitBreaker b(s);
    feed(b, "FFFFF", clock.now());
    clock.advance(secs(5));
    feed(b, "F", clock.now());  // 5 s open so far, open again
    clock.advance(secs(5));
    feed(b, "F", clock.now());  // 10 s
    clock.advance(secs(1.999));
    EXPECT_FALSE(b.exceeded_policy(clock.now()));
    clock.advance(secs(0.001));
    EXPECT_TRUE(b.exceeded_policy(clock.now()));
    clock.advance(secs(3));
    feed(b, "SSS", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);
    EXPECT_FALSE(b.exceeded_policy(clock.now()));
}

TEST(CircuitBreaker, DefaultsAreTheSeedsAndInvalidSettingsThrow) {
    const BreakerSettings d;
    EXPECT_EQ(d.window, 20);
    EXPECT_EQ(d.failure_threshold, 0.5);
    EXPECT_EQ(d.minimum_calls, 20);
    EXPECT_EQ(d.open_s, 45);
    EXPECT_EQ(d.half_open_probes, 3);
    BreakerSettings bad;
    bad.window = 0;
    EXPECT_THROW(CircuitBreaker{bad}, UsageError);
    bad = {};
    bad.failure_threshold = 0;
    EXPECT_THROW(CircuitBreaker{bad}, UsageError);
    EXPECT_STREQ(to_string(BreakerState::HalfOpen), "HALF_OPEN");
}

TEST(CircuitBreaker, MinimumCallsBelowTheWindow) {
    FakeClock clock;
    BreakerSettings s = small();
    s.window = 20;
    s.minimum_calls = 4;
    CircuitBreaker b(s);
    feed(b, "SSF", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Closed);
    feed(b, "F", clock.now());
    EXPECT_EQ(b.state(clock.now()), BreakerState::Open);
}

}  // namespace
}  // namespace wxbatch::resilience
