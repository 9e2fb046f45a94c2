// The non-virtual parts of the HTTP seam: Headers and the to_string names.

#include <gtest/gtest.h>

#include "wxbatch/webex/api.hpp"
#include "wxbatch/webex/http.hpp"

namespace wxbatch::webex {
namespace {

TEST(Headers, LookupIgnoresCaseAndReturnsTheFirstValue) {
    Headers headers;
    headers.add("TrackingID", "first");
    headers.add("trackingid", "second");
    headers.add("Link", "<x>; rel=next");
    EXPECT_EQ(headers.get("TRACKINGID"), "first");
    EXPECT_EQ(headers.get("link"), "<x>; rel=next");
    EXPECT_EQ(headers.get("Retry-After"), std::nullopt);
    EXPECT_EQ(headers.get("TrackingI"), std::nullopt);
    ASSERT_EQ(headers.all().size(), 3U);
    EXPECT_EQ(headers.all()[1].first, "trackingid");
}

TEST(HttpNames, MethodsAndKinds) {
    EXPECT_STREQ(to_string(HttpMethod::Get), "GET");
    EXPECT_STREQ(to_string(HttpMethod::Post), "POST");
    EXPECT_STREQ(to_string(HttpMethod::Put), "PUT");
    EXPECT_STREQ(to_string(HttpMethod::Patch), "PATCH");
    EXPECT_STREQ(to_string(HttpMethod::Delete), "DELETE");
    EXPECT_STREQ(to_string(TransportErrorKind::Timeout), "timeout");
    EXPECT_STREQ(to_string(TransportErrorKind::Connect), "connect");
    EXPECT_STREQ(to_string(TransportErrorKind::ConnectionDropped), "connection_dropped");
    EXPECT_STREQ(to_string(TransportErrorKind::Tls), "tls");
    EXPECT_STREQ(to_string(TransportErrorKind::Resolve), "resolve");
    EXPECT_STREQ(to_string(TransportErrorKind::BodyTooLarge), "body_too_large");
    EXPECT_STREQ(to_string(TransportErrorKind::Other), "other");
}

TEST(HttpNames, ErrorClassesAsInRowErrorsCsv) {
    EXPECT_STREQ(to_string(ErrorClass::RowErrorNonRetryable), "ROW_ERROR_NON_RETRYABLE");
    EXPECT_STREQ(to_string(ErrorClass::TransientRetryable), "TRANSIENT_RETRYABLE");
    EXPECT_STREQ(to_string(ErrorClass::SystemicFatal), "SYSTEMIC_FATAL");
    EXPECT_STREQ(to_string(ErrorClass::OutcomeUnknown), "OUTCOME_UNKNOWN");
}

}  // namespace
}  // namespace wxbatch::webex
