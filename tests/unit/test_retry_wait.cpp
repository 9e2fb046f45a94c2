#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "wxbatch/resilience/wait.hpp"

namespace wxbatch::resilience {
namespace {

using wxbatch::testing::ScriptedRandom;

double wait_at(const Wait& w, int attempt, Random& random) {
    RetryState s;
    s.attempt_number = attempt;
    return w.compute(s, random).count();
}

std::vector<double> waits(const Wait& w, int from, int to) {
    auto random = ScriptedRandom::always_hi();
    std::vector<double> out;
    for (int n = from; n <= to; ++n) {
        out.push_back(wait_at(w, n, random));
    }
    return out;
}

// Tenacity's test_exponential* vectors.
TEST(WaitExponential, DefaultsDoubleFromOne) {
    EXPECT_EQ(waits(wait_exponential(), 1, 8), (std::vector<double>{1, 2, 4, 8, 16, 32, 64, 128}));
}

TEST(WaitExponential, MaxCapsTheWait) {
    EXPECT_EQ(waits(wait_exponential(1, 0, 40), 1, 8),
              (std::vector<double>{1, 2, 4, 8, 16, 32, 40, 40}));
}

TEST(WaitExponential, MinRaisesTheWait) {
    const Wait w = wait_exponential(1, 20);
    EXPECT_EQ(waits(w, 1, 8), (std::vector<double>{20, 20, 20, 20, 20, 32, 64, 128}));
    EXPECT_EQ(waits(w, 20, 20), (std::vector<double>{524288}));
}

TEST(WaitExponential, MinWithMultiplier) {
    const Wait w = wait_exponential(2, 20);
    EXPECT_EQ(waits(w, 1, 8), (std::vector<double>{20, 20, 20, 20, 32, 64, 128, 256}));
    EXPECT_EQ(waits(w, 20, 20), (std::vector<double>{1048576}));
}

TEST(WaitExponential, MinAndMax) {
    EXPECT_EQ(waits(wait_exponential(1, 10, 100), 1, 9),
              (std::vector<double>{10, 10, 10, 10, 16, 32, 64, 100, 100}));
}

TEST(WaitExponential, HugeAttemptNumbersStayFiniteAndCapped) {
    auto random = ScriptedRandom::always_hi();
    const double capped = wait_at(wait_exponential(1, 0, 60), 1000, random);
    EXPECT_EQ(capped, 60);
    const double unbounded = wait_at(wait_exponential(), 5000, random);
    EXPECT_TRUE(std::isfinite(unbounded));
    EXPECT_EQ(unbounded, k_max_wait_s);
    const double jitter = wait_at(wait_full_jitter(0.5, 60), 1000, random);
    EXPECT_EQ(jitter, 60);
}

TEST(WaitExponential, AttemptZeroOrNegativeIsTreatedAsFirst) {
    auto random = ScriptedRandom::always_hi();
    EXPECT_EQ(wait_at(wait_exponential(3), 0, random), 3);
    EXPECT_EQ(wait_at(wait_exponential(3), -4, random), 3);
}

TEST(WaitFullJitter, DrawsUniformlyBelowTheExponentialCap) {
    ScriptedRandom random({0.5, 0.25, 1.0, 0.0});
    const Wait w = wait_full_jitter(0.5, 60);
    EXPECT_EQ(wait_at(w, 1, random), 0.25);  // 0.5 * 0.5
    EXPECT_EQ(wait_at(w, 2, random), 0.25);  // 0.25 * 1
    EXPECT_EQ(wait_at(w, 8, random), 60);    // min(60, 64)
    EXPECT_EQ(wait_at(w, 3, random), 0);
    const auto calls = random.calls();
    ASSERT_EQ(calls.size(), 4u);
    EXPECT_EQ(calls[0], std::make_pair(0.0, 0.5));
    EXPECT_EQ(calls[1], std::make_pair(0.0, 1.0));
    EXPECT_EQ(calls[2], std::make_pair(0.0, 60.0));
    EXPECT_EQ(calls[3], std::make_pair(0.0, 2.0));
}

TEST(WaitFullJitter, RealRandomStaysWithinBoundsAndVaries) {
    SeededRandom random(42);
    const Wait w = wait_full_jitter(0.5, 60);
    for (int n = 1; n <= 12; ++n) {
        const double cap = std::min(60.0, 0.5 * std::pow(2.0, n - 1));
        std::set<double> seen;
        for (int i = 0; i < 500; ++i) {
            const double v = wait_at(w, n, random);
            ASSERT_GE(v, 0.0) << "attempt " << n;
            ASSERT_LE(v, cap) << "attempt " << n;
            seen.insert(v);
        }
        EXPECT_GT(seen.size(), 400u) << "attempt " << n;
        const WaitBounds b = w.bounds(n);
        EXPECT_EQ(b.min_s, 0);
        EXPECT_EQ(b.max_s, cap);
    }
}

TEST(WaitFixedAndRandom, ReturnTheirValues) {
    ScriptedRandom random({0.5});
    EXPECT_EQ(wait_at(wait_fixed(7), 3, random), 7);
    EXPECT_EQ(wait_at(wait_random(2, 4), 1, random), 3);
    EXPECT_EQ(wait_fixed(7).bounds(9).max_s, 7);
    EXPECT_EQ(wait_random(2, 4).bounds(1).min_s, 2);
    EXPECT_EQ(wait_random(2, 4).bounds(1).max_s, 4);
}

TEST(WaitChain, UsesStrategyKForAttemptKThenRepeatsTheLast) {
    const Wait w = wait_chain({wait_fixed(1), wait_fixed(2), wait_fixed(3)});
    EXPECT_EQ(waits(w, 1, 6), (std::vector<double>{1, 2, 3, 3, 3, 3}));
    EXPECT_EQ(w.bounds(2).max_s, 2);
    EXPECT_EQ(waits(wait_chain({}), 1, 2), (std::vector<double>{0, 0}));
}

}  // namespace
}  // namespace wxbatch::resilience
