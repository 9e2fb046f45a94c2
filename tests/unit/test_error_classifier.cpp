#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wxbatch/resilience/error_classifier.hpp"

namespace wxbatch::resilience {
namespace {

using webex::ErrorClass;
using webex::TransportErrorKind;

struct Row {
    std::optional<int> status;
    std::optional<TransportErrorKind> transport;
    bool mutating;
    bool maybe_sent;
    // expected
    bool ok;
    ErrorClass cls;
    bool retryable;
    CallVerdict verdict;
    bool ambiguous;
    bool rate_limited;
    const char* cause;
};

constexpr auto T = ErrorClass::TransientRetryable;
constexpr auto R = ErrorClass::RowErrorNonRetryable;
constexpr auto S = ErrorClass::SystemicFatal;
constexpr auto Ok = CallVerdict::Success;
constexpr auto Fail = CallVerdict::Failure;
constexpr auto Ign = CallVerdict::Ignored;
constexpr auto Timeout = TransportErrorKind::Timeout;
constexpr auto Dropped = TransportErrorKind::ConnectionDropped;

// The whole table, row by row: (status | transport, mutating, maybe sent) -> classification.
const std::vector<Row> k_table = {
    {200, {}, false, false, true, R, false, Ok, false, false, "ok"},
    {201, {}, true, false, true, R, false, Ok, false, false, "ok"},
    {204, {}, true, false, true, R, false, Ok, false, false, "ok"},
    {429, {}, false, false, false, T, true, Ign, false, true, "429"},
    {429, {}, true, false, false, T, true, Ign, false, true, "429"},
    {423, {}, true, false, false, T, true, Ign, false, false, "423"},
    {500, {}, false, false, false, T, true, Fail, false, false, "500"},
    {500, {}, true, false, false, T, true, Fail, false, false, "500"},
    {502, {}, false, false, false, T, true, Fail, false, false, "502"},
    {502, {}, true, false, false, T, true, Fail, true, false, "502"},
    {503, {}, true, false, false, T, true, Fail, false, false, "503"},
    {504, {}, false, false, false, T, true, Fail, false, false, "504"},
    {504, {}, true, false, false, T, true, Fail, true, false, "504"},
    {501, {}, false, false, false, R, false, Fail, false, false, "501"},
    {400, {}, true, false, false, R, false, Ok, false, false, "400"},
    {401, {}, false, false, false, R, false, Ok, false, false, "401"},
    {403, {}, false, false, false, R, false, Ok, false, false, "403"},
    {404, {}, false, false, false, R, false, Ok, false, false, "404"},
    {409, {}, true, false, false, R, false, Ok, false, false, "409"},
    {410, {}, false, false, false, R, false, Ok, false, false, "410"},
    {304, {}, false, false, false, R, false, Ok, false, false, "304"},
    {{}, Timeout, false, true, false, T, true, Fail, false, false, "timeout"},
    {{}, Timeout, true, true, false, T, true, Fail, true, false, "timeout"},
    {{}, Timeout, true, false, false, T, true, Fail, true, false, "timeout"},
    {{}, TransportErrorKind::Connect, true, false, false, T, true, Fail, false, false, "connect"},
    {{}, TransportErrorKind::Resolve, true, false, false, T, true, Fail, false, false, "resolve"},
    {{}, Dropped, false, true, false, T, true, Fail, false, false, "dropped"},
    {{}, Dropped, true, true, false, T, true, Fail, true, false, "dropped"},
    {{}, Dropped, true, false, false, T, true, Fail, false, false, "dropped"},
    {{}, TransportErrorKind::Tls, false, false, false, S, false, Ign, false, false, "tls"},
    {{},
     TransportErrorKind::BodyTooLarge,
     false,
     true,
     false,
     R,
     false,
     Ok,
     false,
     false,
     "body_too_large"},
    {{}, TransportErrorKind::Other, true, true, false, T, true, Fail, true, false, "transport"},
    {{}, TransportErrorKind::Other, true, false, false, T, true, Fail, false, false, "transport"},
};

TEST(ErrorClassifier, TableRowByRow) {
    for (std::size_t i = 0; i < k_table.size(); ++i) {
        const Row& row = k_table[i];
        AttemptOutcome o;
        o.http_status = row.status;
        o.transport = row.transport;
        o.mutating = row.mutating;
        o.request_may_have_been_sent = row.maybe_sent;
        const Classification c = classify(o);
        SCOPED_TRACE("table row " + std::to_string(i) + " cause " + row.cause);
        EXPECT_EQ(c.ok, row.ok);
        EXPECT_EQ(c.error_class, row.cls);
        EXPECT_EQ(c.retryable, row.retryable);
        EXPECT_EQ(c.breaker_verdict, row.verdict);
        EXPECT_EQ(c.ambiguous, row.ambiguous);
        EXPECT_EQ(c.rate_limited, row.rate_limited);
        EXPECT_EQ(c.cause, row.cause);
    }
}

TEST(ErrorClassifier, NoStatusAndNoTransportIsAnUnknownTransportFailure) {
    const Classification c = classify(AttemptOutcome{});
    EXPECT_EQ(c.cause, "transport");
    EXPECT_TRUE(c.retryable);
}

TEST(SystemicDetector, PersistentUnauthorizedIsSystemic) {
    SystemicDetector d;
    EXPECT_TRUE(d.record_401(7));  // re-check needed
    EXPECT_FALSE(d.on_unauthorized(false));
    EXPECT_EQ(d.systemic(), std::nullopt);
    EXPECT_TRUE(d.record_401(8));
    EXPECT_TRUE(d.on_unauthorized(true));
    EXPECT_EQ(d.systemic(), StopReason::SystemicAuth);
    EXPECT_FALSE(d.record_401(9));  // already systemic: no further re-check
}

TEST(SystemicDetector, ForbiddenOnFiveConsecutiveDistinctRowsIsSystemic) {
    SystemicDetector d(5);
    EXPECT_FALSE(d.record_403(1));
    EXPECT_FALSE(d.record_403(1));  // the same row counts once
    EXPECT_FALSE(d.record_403(2));
    EXPECT_FALSE(d.record_403(3));
    EXPECT_FALSE(d.record_403(4));
    EXPECT_EQ(d.systemic(), std::nullopt);
    EXPECT_TRUE(d.record_403(5));
    EXPECT_EQ(d.systemic(), StopReason::SystemicScope);
}

TEST(SystemicDetector, ASuccessResetsTheForbiddenStreak) {
    SystemicDetector d(3);
    EXPECT_FALSE(d.record_403(1));
    EXPECT_FALSE(d.record_403(2));
    d.record_success();
    EXPECT_FALSE(d.record_403(3));
    EXPECT_FALSE(d.record_403(4));
    EXPECT_TRUE(d.record_403(5));
}

TEST(SystemicDetector, ConfigurationErrorsAreSystemicAndTheFirstReasonStays) {
    SystemicDetector d;
    EXPECT_TRUE(d.record_404_base_path());
    EXPECT_EQ(d.systemic(), StopReason::SystemicConfig);
    EXPECT_TRUE(d.on_unauthorized(true));
    EXPECT_EQ(d.systemic(), StopReason::SystemicConfig);
    EXPECT_STREQ(to_string(StopReason::SystemicScope), "systemic_scope");
}

}  // namespace
}  // namespace wxbatch::resilience
