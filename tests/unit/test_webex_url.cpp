// url_encode, build_url and relative_to_base.

#include <gtest/gtest.h>

#include "wxbatch/webex/url.hpp"

namespace wxbatch::webex {
namespace {

TEST(UrlEncode, KeepsUnreservedAndEncodesTheRest) {
    EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(url_encode("jo+test@example.com"), "jo%2Btest%40example.com");
    EXPECT_EQ(url_encode("a b&c=d/e?"), "a%20b%26c%3Dd%2Fe%3F");
    EXPECT_EQ(url_encode("\xC3\xA9"), "%C3%A9");
    EXPECT_EQ(url_encode(""), "");
}

TEST(BuildUrl, JoinsWithExactlyOneSlash) {
    EXPECT_EQ(build_url("https://webexapis.com/v1", "/people", {}),
              "https://webexapis.com/v1/people");
    EXPECT_EQ(build_url("https://webexapis.com/v1/", "/people", {}),
              "https://webexapis.com/v1/people");
    EXPECT_EQ(build_url("http://127.0.0.1:8080/v1//", "people/abc", {}),
              "http://127.0.0.1:8080/v1/people/abc");
    EXPECT_EQ(build_url("http://127.0.0.1:8080/v1", "", {}), "http://127.0.0.1:8080/v1");
}

TEST(BuildUrl, EncodesTheQuery) {
    EXPECT_EQ(build_url("https://webexapis.com/v1", "/people",
                        {{"email", "jo+x@example.com"}, {"max", "1"}}),
              "https://webexapis.com/v1/people?email=jo%2Bx%40example.com&max=1");
    EXPECT_EQ(build_url("https://webexapis.com/v1", "/people?cursor=abc", {{"max", "10"}}),
              "https://webexapis.com/v1/people?cursor=abc&max=10");
}

TEST(RelativeToBase, PathAndQueryUnderTheBase) {
    EXPECT_EQ(relative_to_base("https://webexapis.com/v1",
                               "https://webexapis.com/v1/people?cursor=abc&max=100"),
              "/people?cursor=abc&max=100");
    EXPECT_EQ(relative_to_base("https://webexapis.com/v1/", "HTTPS://WebexAPIs.com/v1/people"),
              "/people");
    EXPECT_EQ(relative_to_base("http://127.0.0.1:4321/v1", "http://127.0.0.1:4321/v1?x=1"),
              "/?x=1");
}

TEST(RelativeToBase, NoneOutsideTheBase) {
    EXPECT_EQ(relative_to_base("https://webexapis.com/v1", "https://evil.example/v1/people"),
              std::nullopt);
    EXPECT_EQ(relative_to_base("https://webexapis.com/v1", "https://webexapis.com/v10/people"),
              std::nullopt);
    EXPECT_EQ(relative_to_base("https://webexapis.com/v1", "https://webexapis.com/V1/people"),
              std::nullopt);
    EXPECT_EQ(relative_to_base("http://127.0.0.1:4321/v1", "http://127.0.0.1:43210/v1/people"),
              std::nullopt);
    EXPECT_EQ(relative_to_base("https://webexapis.com/v1", "http://webexapis.com/v1/people"),
              std::nullopt);
    EXPECT_EQ(relative_to_base("https://webexapis.com/v1", "/v1/people"), std::nullopt);
}

}  // namespace
}  // namespace wxbatch::webex
