#include <chrono>

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "wxbatch/resilience/retry_after.hpp"

namespace wxbatch::resilience {
namespace {

using namespace std::chrono;

const Duration k_cap{300};

// 1994-11-06T08:49:07Z: 30 s before the RFC's example date "Sun, 06 Nov 1994 08:49:37 GMT".
WallTime rfc_example_now() {
    return sys_days{year{1994} / 11 / 6} + hours{8} + minutes{49} + seconds{7};
}

TEST(RetryAfter, DelaySeconds) {
    const RetryAfter r = parse_retry_after("120", WallTime{}, k_cap);
    ASSERT_TRUE(r.delay);
    EXPECT_EQ(r.delay->count(), 120);
    EXPECT_FALSE(r.clamped);
    EXPECT_EQ(r.problem, "");
    EXPECT_EQ(parse_retry_after("0", WallTime{}, k_cap).delay->count(), 0);
    EXPECT_EQ(parse_retry_after("  7\t", WallTime{}, k_cap).delay->count(), 7);
}

TEST(RetryAfter, HttpDateThirtySecondsAheadOfTheFakeClock) {
    wxbatch::testing::FakeClock clock;  // wall: 2026-01-01T00:00:00Z
    const RetryAfter r =
        parse_retry_after("Thu, 01 Jan 2026 00:00:30 GMT", clock.wall_now(), k_cap);
    ASSERT_TRUE(r.delay) << r.problem;
    EXPECT_EQ(r.delay->count(), 30);
    EXPECT_FALSE(r.clamped);
}

TEST(RetryAfter, AllThreeDateFormsOfRfc9110) {
    const WallTime now = rfc_example_now();
    for (const char* text : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                             "Sun Nov  6 08:49:37 1994"}) {
        const RetryAfter r = parse_retry_after(text, now, k_cap);
        ASSERT_TRUE(r.delay) << text << ": " << r.problem;
        EXPECT_EQ(r.delay->count(), 30) << text;
    }
}

TEST(RetryAfter, TwoDigitYearMoreThanFiftyYearsAheadIsInThePast) {
    // Now is 2026: "-94" is 1994 (2094 would be > 50 years ahead), "-30" is 2030.
    wxbatch::testing::FakeClock clock;
    const RetryAfter past =
        parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", clock.wall_now(), k_cap);
    ASSERT_TRUE(past.delay);
    EXPECT_EQ(past.delay->count(), 0);
    const RetryAfter future =
        parse_retry_after("Tuesday, 01-Jan-30 00:00:00 GMT", clock.wall_now(), Duration(1e12));
    ASSERT_TRUE(future.delay);
    EXPECT_EQ(future.delay->count(), 4.0 * 365 * 86400 + 86400);  // 2028 is a leap year
}

TEST(RetryAfter, DateInThePastMeansNow) {
    const RetryAfter r =
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example_now() + hours(1), k_cap);
    ASSERT_TRUE(r.delay);
    EXPECT_EQ(r.delay->count(), 0);
}

TEST(RetryAfter, MalformedValuesFallBackWithAReason) {
    for (const char* text : {"rand(30),add(30)", "-5", "", "   ", "1.5", "12abc", "+3",
                             "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT",
                             "Sun, 06 Nov 1994 25:49:37 GMT", "Sun Nov 6 08:49:37 1994"}) {
        const RetryAfter r = parse_retry_after(text, rfc_example_now(), k_cap);
        EXPECT_FALSE(r.delay) << "'" << text << "'";
        EXPECT_FALSE(r.problem.empty()) << "'" << text << "'";
        EXPECT_FALSE(r.clamped);
    }
    EXPECT_EQ(parse_retry_after("", WallTime{}, k_cap).problem, "empty Retry-After header");
}

TEST(RetryAfter, HugeValuesAreClampedWithoutOverflow) {
    for (const char* text : {"99999999999", "301", "184467440737095516160000000000000"}) {
        const RetryAfter r = parse_retry_after(text, WallTime{}, k_cap);
        ASSERT_TRUE(r.delay) << text;
        EXPECT_EQ(r.delay->count(), 300) << text;
        EXPECT_TRUE(r.clamped) << text;
    }
    const RetryAfter at_cap = parse_retry_after("300", WallTime{}, k_cap);
    EXPECT_EQ(at_cap.delay->count(), 300);
    EXPECT_FALSE(at_cap.clamped);
}

TEST(RetryAfter, FarFutureDateIsClamped) {
    const RetryAfter r =
        parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", rfc_example_now(), k_cap);
    ASSERT_TRUE(r.delay);
    EXPECT_EQ(r.delay->count(), 300);
    EXPECT_TRUE(r.clamped);
}

}  // namespace
}  // namespace wxbatch::resilience
