// parse_error_body and WebexError::summary on every shape an error answer may take.

#include <string>

#include <gtest/gtest.h>

#include "wxbatch/webex/error_body.hpp"

namespace wxbatch::webex {
namespace {

TEST(ErrorBody, WebexShape) {
    const WebexError e = parse_error_body(
        R"({"message":"The request could not be understood by the server due to malformed syntax.",
            "errors":[{"description":"Invalid email address."},{"description":"Second."}],
            "trackingId":"ROUTER_5F0A"})",
        400);
    EXPECT_EQ(e.message,
              "The request could not be understood by the server due to malformed syntax.");
    ASSERT_EQ(e.descriptions.size(), 2U);
    EXPECT_EQ(e.descriptions[0], "Invalid email address.");
    EXPECT_EQ(e.tracking_id, "ROUTER_5F0A");
    EXPECT_EQ(e.summary(),
              "The request could not be understood by the server due to malformed syntax.: "
              "Invalid email address.; Second.");
}

TEST(ErrorBody, DescriptionEqualToTheMessageIsNotRepeated) {
    const WebexError e = parse_error_body(
        R"({"message":"Person not found","errors":[{"description":"Person not found"}]})", 404);
    EXPECT_EQ(e.summary(), "Person not found");
    EXPECT_EQ(e.tracking_id, "");
}

TEST(ErrorBody, TelephonyShapeWithMessageArray) {
    const WebexError e = parse_error_body(
        R"({"error":{"key":"400","message":[{"description":"Location not found","code":"4008"}]},
            "trackingId":"NA_123"})",
        400);
    EXPECT_EQ(e.message, "Location not found");
    EXPECT_TRUE(e.descriptions.empty());
    EXPECT_EQ(e.tracking_id, "NA_123");
    EXPECT_EQ(e.summary(), "Location not found");
}

TEST(ErrorBody, OAuthShape) {
    const WebexError e =
        parse_error_body(R"({"error":"invalid_token","error_description":"expired"})", 401);
    EXPECT_EQ(e.summary(), "invalid_token: expired");
}

TEST(ErrorBody, EmptyBodyFallsBackToTheStatus) {
    EXPECT_EQ(parse_error_body("", 503).summary(), "HTTP 503");
    EXPECT_EQ(parse_error_body("  \r\n", 502).summary(), "HTTP 502");
}

TEST(ErrorBody, NonJsonBodyIsQuotedShortAndOnOneLine) {
    const WebexError e = parse_error_body("<html>\n<body>Bad Gateway</body>\n</html>", 502);
    EXPECT_EQ(e.summary(), "HTTP 502 (body not JSON: <html> <body>Bad Gateway</body> </html>)");
    const WebexError huge = parse_error_body(std::string(100000, 'z'), 500);
    EXPECT_EQ(huge.message, "HTTP 500 (body not JSON: " + std::string(200, 'z') + "...)");
}

TEST(ErrorBody, JsonOfTheWrongShapeFallsBackToTheStatus) {
    EXPECT_EQ(parse_error_body("[1,2,3]", 500).summary(), "HTTP 500");
    EXPECT_EQ(parse_error_body("42", 500).summary(), "HTTP 500");
    EXPECT_EQ(parse_error_body(R"({"message":7,"errors":"x","trackingId":[]})", 400).summary(),
              "HTTP 400");
    EXPECT_EQ(
        parse_error_body(R"({"errors":[{"description":"only this"}, 5, {"x":1}]})", 409).summary(),
        "only this");
    EXPECT_EQ(parse_error_body(R"({"errors":["plain string"]})", 409).summary(), "plain string");
}

TEST(ErrorBody, TruncatedJsonIsTreatedAsText) {
    EXPECT_EQ(parse_error_body(R"({"message":"cut)", 500).summary(),
              R"(HTTP 500 (body not JSON: {"message":"cut))");
}

TEST(ErrorBody, LongFieldsAreCappedOnACharacterBoundary) {
    std::string long_message;
    for (int i = 0; i < 300; ++i) {
        long_message += "\xC3\xA9";  // é, two bytes
    }
    const WebexError e = parse_error_body(R"({"message":")" + long_message + R"("})", 400);
    EXPECT_EQ(e.message, long_message.substr(0, k_error_field_limit) + "...");
    std::string many = R"({"errors":[)";
    for (int i = 0; i < 50; ++i) {
        many += std::string(i ? "," : "") + R"({"description":"d)" + std::to_string(i) + R"("})";
    }
    const WebexError capped = parse_error_body(many + "]}", 400);
    EXPECT_EQ(capped.message, "d0");
    EXPECT_EQ(capped.descriptions.size(), k_error_descriptions_limit - 1);
}

TEST(ErrorBody, SummaryRemovesControlCharacters) {
    const WebexError e = parse_error_body(
        R"({"message":"line one\nline two\t\u0007end  ","errors":[{"description":"a\r\nb"}]})",
        400);
    EXPECT_EQ(e.summary(), "line one line two end: a b");
}

}  // namespace
}  // namespace wxbatch::webex
