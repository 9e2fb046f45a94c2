#include <gtest/gtest.h>

#include "wxbatch/resilience/stop.hpp"

namespace wxbatch::resilience {
namespace {

RetryState at(int attempt, double since_start, double upcoming = 0) {
    RetryState s;
    s.attempt_number = attempt;
    s.seconds_since_start = since_start;
    s.upcoming_sleep = upcoming;
    return s;
}

TEST(Stop, AfterAttempt) {
    const Stop stop = stop_after_attempt(3);
    EXPECT_FALSE(stop.should_stop(at(1, 0)));
    EXPECT_FALSE(stop.should_stop(at(2, 0)));
    EXPECT_TRUE(stop.should_stop(at(3, 0)));
    EXPECT_TRUE(stop.should_stop(at(4, 0)));
}

TEST(Stop, AfterDelay) {
    const Stop stop = stop_after_delay(1);
    EXPECT_FALSE(stop.should_stop(at(1, 0.999)));
    EXPECT_TRUE(stop.should_stop(at(1, 1.0)));
    EXPECT_TRUE(stop.should_stop(at(1, 1.001)));
}

TEST(Stop, BeforeDelayCountsTheUpcomingSleep) {
    const Stop stop = stop_before_delay(1);
    EXPECT_FALSE(stop.should_stop(at(1, 0.5, 0.499)));
    EXPECT_TRUE(stop.should_stop(at(1, 0.5, 0.5)));
    EXPECT_TRUE(stop.should_stop(at(1, 1.0, 0)));
}

TEST(Stop, Never) {
    EXPECT_FALSE(stop_never().should_stop(at(100000, 1e9, 1e9)));
}

TEST(Stop, AnyOfWithPipe) {
    const Stop stop = stop_after_delay(1) | stop_after_attempt(4);
    EXPECT_FALSE(stop.should_stop(at(2, 0.8)));
    EXPECT_TRUE(stop.should_stop(at(4, 0.8)));
    EXPECT_TRUE(stop.should_stop(at(3, 1.8)));
    EXPECT_TRUE(stop.should_stop(at(4, 1.8)));
}

TEST(Stop, AllOfWithAmpersand) {
    const Stop stop = stop_after_delay(1) & stop_after_attempt(4);
    EXPECT_FALSE(stop.should_stop(at(2, 0.8)));
    EXPECT_FALSE(stop.should_stop(at(4, 0.8)));
    EXPECT_FALSE(stop.should_stop(at(3, 1.8)));
    EXPECT_TRUE(stop.should_stop(at(4, 1.8)));
}

}  // namespace
}  // namespace wxbatch::resilience
