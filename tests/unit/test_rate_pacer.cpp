#include <algorithm>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "wxbatch/resilience/rate_pacer.hpp"

namespace wxbatch::resilience {
namespace {

const MonoTime t0 = MonoTime{} + std::chrono::hours(1000);

MonoTime at(double seconds) {
    return t0 + std::chrono::round<MonoTime::duration>(Duration(seconds));
}

// Sends `count` requests evenly over [from, from + span).
void send_evenly(RatePacer& p, double from, double span, int count) {
    for (int i = 0; i < count; ++i) {
        p.reserve(at(from + span * i / count));
    }
}

// No tolerance, and a step of 0.5% per second.
PacingSettings strict() {
    PacingSettings s;
    s.tolerance_s = 0;
    s.increase_step = 0.005;
    return s;
}

// A pacer that learned exactly `rate` requests per second at t = 2 s, pause until t = 3 s.
RatePacer pacer_at(double rate, PacingSettings s = strict()) {
    s.decrease_factor = 1.0;
    RatePacer p(s);
    send_evenly(p, 0, 2, static_cast<int>(rate * 2) + 1);
    p.on_rate_limited(at(2), false);
    p.on_pause(at(3));
    return p;
}

TEST(RatePacer, UnlimitedUntilTheFirst429) {
    RatePacer p;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ(p.reserve(t0).count(), 0);
    }
    EXPECT_EQ(p.rate(t0), std::nullopt);
    EXPECT_EQ(p.counters().rate, 0);
    EXPECT_EQ(p.counters().paced_waits, 0);
}

TEST(RatePacer, First429SetsAFractionOfTheAdmittedRate) {
    RatePacer p;
    send_evenly(p, 0, 2, 101);  // 100 admitted + the one that gets the 429
    EXPECT_TRUE(p.on_rate_limited(at(2), false));
    ASSERT_TRUE(p.rate(at(2)));
    EXPECT_DOUBLE_EQ(*p.rate(at(2)), 45);  // 100 / 2 s * 0.9
    EXPECT_EQ(p.counters().decreases, 1);
    EXPECT_DOUBLE_EQ(p.counters().rate, 45);
}

TEST(RatePacer, A429SoonAfterSendingStartsCutsDeeper) {
    RatePacer p;
    send_evenly(p, 0, 0.5, 11);
    EXPECT_TRUE(p.on_rate_limited(at(0.5), false));
    EXPECT_DOUBLE_EQ(*p.rate(at(0.5)), 14);  // 10 / 0.5 s * 0.7
}

// Server: rate 100, burst 50. Unlimited at 300/s, its bucket empties after 0.25 s; after the
// pause, at 200/s, after 0.5 s. Then B = (300 - 200) / (1/0.25 - 1/0.5) = 50 and
// R = (100 admitted - 50) / 0.5 s = 100.
TEST(RatePacer, TwoDrainingSegmentsTeachTheBurstAndTheRate) {
    RatePacer p;
    send_evenly(p, 0, 0.25, 76);
    EXPECT_TRUE(p.on_rate_limited(at(0.25), false));
    EXPECT_DOUBLE_EQ(*p.rate(at(0.25)), 210);  // 300 * 0.7
    EXPECT_EQ(p.counters().burst, 0);
    p.on_pause(at(1.25));
    send_evenly(p, 1.25, 0.5, 101);
    EXPECT_TRUE(p.on_rate_limited(at(1.75), false));
    EXPECT_NEAR(p.counters().burst, 50, 1e-9);
    EXPECT_NEAR(*p.rate(at(1.75)), 98, 1e-9);  // 100 * 0.98
    // From now on the rate grows by 0.1% of 98 per second.
    p.on_pause(at(2.75));
    EXPECT_NEAR(*p.rate(at(4.75)), 98 + 2 * 0.098, 1e-9);
}

TEST(RatePacer, A429DuringAPauseTeachesNothing) {
    RatePacer p = pacer_at(10);
    EXPECT_FALSE(p.on_rate_limited(at(2.5), true));
    EXPECT_DOUBLE_EQ(*p.rate(at(2.5)), 10);
    EXPECT_EQ(p.counters().decreases, 1);
}

TEST(RatePacer, SpacesRequestsAtTheLearnedRate) {
    RatePacer p = pacer_at(10);
    EXPECT_DOUBLE_EQ(*p.rate(at(3)), 10);
    EXPECT_NEAR(p.reserve(at(3)).count(), 0, 1e-9);
    EXPECT_NEAR(p.reserve(at(3)).count(), 0.1, 1e-9);
    EXPECT_NEAR(p.reserve(at(3)).count(), 0.2, 1e-9);
    EXPECT_NEAR(p.reserve(at(3.25)).count(), 0.05, 1e-9);  // its slot is 3.3
    EXPECT_NEAR(p.reserve(at(4)).count(), 0, 1e-9);        // a late request goes at once
    EXPECT_EQ(p.counters().paced_waits, 3);
    EXPECT_NEAR(p.counters().paced_wait_s, 0.35, 1e-9);
}

TEST(RatePacer, NoSlotBeforeThePauseEnds) {
    RatePacer p = pacer_at(10);
    EXPECT_NEAR(p.reserve(at(2.4)).count(), 0.6, 1e-9);  // the first slot is the pause's end
}

TEST(RatePacer, ToleranceLetsASmallBurstThrough) {
    PacingSettings s = strict();
    RatePacer p = pacer_at(10, s);
    s.decrease_factor = 1.0;
    s.tolerance_s = 0.1;
    p.configure(s);
    EXPECT_NEAR(p.reserve(at(3)).count(), 0, 1e-9);
    EXPECT_NEAR(p.reserve(at(3)).count(), 0, 1e-9);
    EXPECT_NEAR(p.reserve(at(3)).count(), 0.1, 1e-9);
}

TEST(RatePacer, GrowsAdditivelyWhileNo429Arrives) {
    RatePacer p = pacer_at(10);  // step 0.5% of 10 = 0.05 req/s per second, from the pause end
    EXPECT_DOUBLE_EQ(*p.rate(at(3.99)), 10);
    EXPECT_DOUBLE_EQ(*p.rate(at(4)), 10.05);
    EXPECT_DOUBLE_EQ(*p.rate(at(6.5)), 10.15);
    EXPECT_EQ(p.counters().increases, 3);
    EXPECT_DOUBLE_EQ(p.counters().rate, 10.15);
}

TEST(RatePacer, DecreasesFromTheLowerOfRateAndAdmitted) {
    // Fewer requests than the rate allows (the workers were the bottleneck): the admitted rate.
    RatePacer slow = pacer_at(10);
    send_evenly(slow, 3, 2, 5);
    EXPECT_TRUE(slow.on_rate_limited(at(5), false));
    EXPECT_DOUBLE_EQ(*slow.rate(at(5)), 2);  // 4 admitted / 2 s, x1.0
    // More admitted than the rate (a tolerance that lets a burst through): the rate.
    PacingSettings loose = strict();
    loose.decrease_factor = 1.0;
    loose.tolerance_s = 10;
    RatePacer fast = pacer_at(10, loose);
    send_evenly(fast, 3, 2, 41);
    EXPECT_TRUE(fast.on_rate_limited(at(5), false));
    EXPECT_DOUBLE_EQ(*fast.rate(at(5)), 10.1);  // grew twice since 3 s; 20/s were admitted
    EXPECT_EQ(fast.counters().decreases, 2);
}

TEST(RatePacer, RequestsWhoseSlotsAreAheadAreNotCountedAsSent) {
    RatePacer p = pacer_at(10);
    // 41 reservations in [3, 5) at ~10/s: their slots reach 7.085 s, so at 5 s 21 of them are
    // still ahead: 41 - 21 - 1 = 19 admitted in 2 s.
    send_evenly(p, 3, 2, 41);
    EXPECT_TRUE(p.on_rate_limited(at(5), false));
    EXPECT_DOUBLE_EQ(*p.rate(at(5)), 9.5);
}

TEST(RatePacer, NeverBelowTheMinimumRate) {
    RatePacer p;
    p.reserve(at(0));
    p.reserve(at(0));
    EXPECT_TRUE(p.on_rate_limited(at(10), false));  // 1 admitted in 10 s: 0.09 -> 1
    EXPECT_DOUBLE_EQ(*p.rate(at(10)), 1);
}

TEST(RatePacer, DisabledNeverPaces) {
    PacingSettings s;
    s.enabled = false;
    RatePacer p(s);
    send_evenly(p, 0, 1, 100);
    EXPECT_FALSE(p.on_rate_limited(at(1), false));
    EXPECT_EQ(p.rate(at(1)), std::nullopt);
    EXPECT_EQ(p.reserve(at(1)).count(), 0);
    EXPECT_EQ(p.counters().decreases, 0);
}

// A discrete-event model of a run: `workers` closed-loop workers (latency per request) against a
// server token bucket (rate, burst) that answers 429 with Retry-After 1 s, which pauses every
// worker. Deterministic: no threads, no clock.
struct ModelResult {
    long admitted = 0;
    long limited = 0;
};

struct ServerBucket {
    double rate;
    double burst;
    double tokens;
    double last = 0;

    bool admit(double t) {
        if (t > last) {
            tokens = std::min(burst, tokens + (t - last) * rate);
            last = t;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
};

ModelResult run_model(RatePacer& p, ServerBucket& server, int workers, double latency, double until,
                      double drop_at = -1, double dropped_rate = 0) {
    ModelResult r;
    std::vector<double> ready(static_cast<std::size_t>(workers), 0.0);
    double pause_end = 0;
    for (;;) {
        const auto next = std::min_element(ready.begin(), ready.end());
        double t = std::max(*next, pause_end);
        if (t >= until) {
            return r;
        }
        if (drop_at >= 0 && t >= drop_at) {
            server.rate = dropped_rate;
        }
        const MonoTime now = at(t);
        const double send = t + p.reserve(now).count();
        if (server.admit(send)) {
            ++r.admitted;
            *next = send + latency;
            continue;
        }
        ++r.limited;
        const bool in_pause = send < pause_end;
        p.on_rate_limited(at(send), in_pause);
        if (!in_pause) {
            pause_end = send + 1.0;
            p.on_pause(at(pause_end));
        }
        *next = send;
    }
}

TEST(RatePacerModel, ConvergesToTheAdmittedRateWithFew429s) {
    RatePacer p;
    ServerBucket server{500, 50, 50};
    const ModelResult r = run_model(p, server, 16, 0.02, 60);
    EXPECT_GT(r.admitted, 0.9 * 500 * 60);
    EXPECT_LT(static_cast<double>(r.limited) / static_cast<double>(r.admitted + r.limited), 0.01);
    EXPECT_LE(p.counters().decreases, 4);
}

TEST(RatePacerModel, FollowsALimitThatDropsMidRun) {
    RatePacer p;
    ServerBucket server{500, 50, 50};
    const ModelResult r = run_model(p, server, 16, 0.02, 90, 30, 200);
    // Ideal: 50 + 500 * 30 + 200 * 60 = 27,050 admitted.
    EXPECT_GT(r.admitted, 0.85 * 27050);
    EXPECT_LT(static_cast<double>(r.limited) / static_cast<double>(r.admitted + r.limited), 0.01);
    ASSERT_TRUE(p.rate(at(90)));
    EXPECT_LT(*p.rate(at(90)), 210);
}

TEST(RatePacerModel, WithoutPacingThe429sPauseMostOfTheRun) {
    PacingSettings off;
    off.enabled = false;
    RatePacer p(off);
    ServerBucket server{500, 50, 50};
    const ModelResult r = run_model(p, server, 16, 0.02, 60);
    EXPECT_LT(r.admitted, 0.6 * 500 * 60);
}

}  // namespace
}  // namespace wxbatch::resilience
