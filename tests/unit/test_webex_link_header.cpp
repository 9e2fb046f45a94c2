// next_link (RFC 8288) and drop_max_null.

#include <gtest/gtest.h>

#include "wxbatch/webex/link_header.hpp"

namespace wxbatch::webex {
namespace {

TEST(NextLink, WebexStyleHeader) {
    EXPECT_EQ(next_link(R"(<https://webexapis.com/v1/people?cursor=abc&max=100>; rel="next")"),
              "https://webexapis.com/v1/people?cursor=abc&max=100");
}

TEST(NextLink, PicksNextAmongSeveralLinks) {
    EXPECT_EQ(next_link(R"(<https://a/first>; rel="first", <https://a/p2>; rel="next", )"
                        R"(<https://a/last>; rel="last")"),
              "https://a/p2");
}

TEST(NextLink, UnquotedAnyCaseAndRelLists) {
    EXPECT_EQ(next_link("<https://a/p2>;rel=next"), "https://a/p2");
    EXPECT_EQ(next_link("<https://a/p2> ; REL = \"Next\""), "https://a/p2");
    EXPECT_EQ(next_link(R"(<https://a/p2>; rel="next last")"), "https://a/p2");
    EXPECT_EQ(next_link(R"(<https://a/p2>; title="x, y"; rel="prev next")"), "https://a/p2");
}

TEST(NextLink, CommasInsideTheTargetDoNotSplit) {
    EXPECT_EQ(next_link(R"(<https://a/p?ids=1,2,3>; rel="next")"), "https://a/p?ids=1,2,3");
}

TEST(NextLink, NoneWhenAbsentOrMalformed) {
    EXPECT_EQ(next_link(""), std::nullopt);
    EXPECT_EQ(next_link(R"(<https://a/p1>; rel="prev")"), std::nullopt);
    EXPECT_EQ(next_link(R"(<https://a/p1>; rel="nextpage")"), std::nullopt);
    EXPECT_EQ(next_link(R"(https://a/p1; rel="next")"), std::nullopt);
    EXPECT_EQ(next_link(R"(<https://a/p1>)"), std::nullopt);
    EXPECT_EQ(next_link("garbage;;;,,,<"), std::nullopt);
}

TEST(DropMaxNull, RemovesOnlyThatParameter) {
    EXPECT_EQ(drop_max_null("https://a/v1/people?max=null&cursor=x"),
              "https://a/v1/people?cursor=x");
    EXPECT_EQ(drop_max_null("https://a/v1/people?cursor=x&max=null"),
              "https://a/v1/people?cursor=x");
    EXPECT_EQ(drop_max_null("https://a/v1/people?a=1&max=null&b=2"), "https://a/v1/people?a=1&b=2");
    EXPECT_EQ(drop_max_null("https://a/v1/people?max=null"), "https://a/v1/people");
    EXPECT_EQ(drop_max_null("https://a/v1/people?max=100"), "https://a/v1/people?max=100");
    EXPECT_EQ(drop_max_null("https://a/v1/people?xmax=null"), "https://a/v1/people?xmax=null");
    EXPECT_EQ(drop_max_null("https://a/v1/people"), "https://a/v1/people");
    EXPECT_EQ(drop_max_null("https://a/p?max=null#frag"), "https://a/p#frag");
}

}  // namespace
}  // namespace wxbatch::webex
