#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "wxbatch/resilience/concurrency_limit.hpp"

namespace wxbatch::resilience {
namespace {

ConcurrencySettings settings(int floor, int ceiling) {
    ConcurrencySettings s;
    s.floor = floor;
    s.ceiling = ceiling;
    return s;
}

TEST(ConcurrencyNeeded, CeilingUntilARateIsLearned) {
    EXPECT_EQ(concurrency_needed(settings(2, 32), std::nullopt, 0.02), 32);
    EXPECT_EQ(concurrency_needed(settings(2, 32), 500.0, 0.0), 32);  // no latency sample yet
}

TEST(ConcurrencyNeeded, LittlesLawWithHeadroomClampedToFloorAndCeiling) {
    // 500/s x 20 ms = 10 in flight; x 1.5 headroom = 15; + 1 = 16.
    EXPECT_EQ(concurrency_needed(settings(2, 32), 500.0, 0.020), 16);
    // 200/s x 20 ms x 1.5 = 6; + 1 = 7.
    EXPECT_EQ(concurrency_needed(settings(2, 32), 200.0, 0.020), 7);
    // 5/s: the floor (one per open batch).
    EXPECT_EQ(concurrency_needed(settings(4, 32), 5.0, 0.020), 4);
    // 500/s x 200 ms needs 151: the ceiling.
    EXPECT_EQ(concurrency_needed(settings(4, 32), 500.0, 0.200), 32);
    // A floor above the ceiling is the ceiling.
    EXPECT_EQ(concurrency_needed(settings(8, 4), 5.0, 0.020), 4);
}

TEST(ConcurrencyLimit, FollowsTheRateAndTheLatencyAverage) {
    ConcurrencyLimit limit(settings(2, 32));
    EXPECT_EQ(limit.limit(), 32);
    limit.observe_latency(0.020);
    EXPECT_DOUBLE_EQ(limit.latency_s(), 0.020);
    limit.set_rate(500.0);
    EXPECT_EQ(limit.limit(), 16);
    // One slow answer moves the average by a tenth of the difference: 0.02 + 0.1 x 0.1 = 0.03.
    limit.observe_latency(0.120);
    EXPECT_NEAR(limit.latency_s(), 0.030, 1e-12);
    EXPECT_EQ(limit.limit(), 24);  // ceil(500 x 0.03 x 1.5) + 1
    limit.set_rate(std::nullopt);
    EXPECT_EQ(limit.limit(), 32);
    limit.observe_latency(-1);  // ignored
    limit.observe_latency(std::numeric_limits<double>::quiet_NaN());
    EXPECT_NEAR(limit.latency_s(), 0.030, 1e-12);
}

TEST(ConcurrencyLimit, AcquireHoldsLanesAboveTheLimitUntilASlotIsReleased) {
    ConcurrencyLimit limit(settings(1, 2));
    std::atomic<bool> stop{false};
    ASSERT_TRUE(limit.acquire(stop));
    ASSERT_TRUE(limit.acquire(stop));
    EXPECT_EQ(limit.in_use(), 2);
    std::atomic<bool> third{false};
    std::thread waiter([&] { third = limit.acquire(stop); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(third.load());  // still waiting: both slots taken
    limit.release();
    waiter.join();
    EXPECT_TRUE(third.load());
    EXPECT_EQ(limit.in_use(), 2);
    EXPECT_EQ(limit.peak_in_use(), 2);
}

TEST(ConcurrencyLimit, RaisingTheLimitWakesWaitersAndStopReleasesThem) {
    ConcurrencyLimit limit(settings(1, 4));
    limit.observe_latency(0.010);
    limit.set_rate(1.0);  // needs 2 (ceil(0.015) + 1)
    ASSERT_EQ(limit.limit(), 2);
    std::atomic<bool> stop{false};
    ASSERT_TRUE(limit.acquire(stop));
    ASSERT_TRUE(limit.acquire(stop));
    std::atomic<bool> got{false};
    std::thread waiter([&] { got = limit.acquire(stop); });
    limit.set_rate(std::nullopt);  // back to the ceiling: 4
    waiter.join();
    EXPECT_TRUE(got.load());
    EXPECT_EQ(limit.in_use(), 3);

    limit.set_rate(1.0);  // 2 again, 3 in use
    std::atomic<bool> stopped_result{true};
    std::thread stopped([&] { stopped_result = limit.acquire(stop); });
    stop = true;
    stopped.join();
    EXPECT_FALSE(stopped_result.load());
    EXPECT_EQ(limit.in_use(), 3);  // the stopped lane took nothing
}

}  // namespace
}  // namespace wxbatch::resilience
