// Link-header paging helpers.

#include <gtest/gtest.h>

#include "wxbatch/actions/lookup.hpp"

namespace wxbatch::actions {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

TEST(NextLink, FindsTheNextEntryAmongOthers) {
    EXPECT_EQ(parse_next_link("<https://webexapis.com/v1/people?cursor=a>; rel=\"next\""),
              std::optional<std::string>("https://webexapis.com/v1/people?cursor=a"));
    EXPECT_EQ(
        parse_next_link("<https://x/v1/a?p=1>; rel=\"prev\", <https://x/v1/a?p=3>; rel=\"next\""),
        std::optional<std::string>("https://x/v1/a?p=3"));
    EXPECT_EQ(parse_next_link("<https://x/v1/a?p=3>; REL=next"),
              std::optional<std::string>("https://x/v1/a?p=3"));
    EXPECT_EQ(parse_next_link("<https://x/v1/a?p=3>; rel=\"first next\""),
              std::optional<std::string>("https://x/v1/a?p=3"));
}

TEST(NextLink, AbsentOrMalformedGivesNothing) {
    EXPECT_EQ(parse_next_link(""), std::nullopt);
    EXPECT_EQ(parse_next_link("<https://x/v1/a?p=1>; rel=\"prev\""), std::nullopt);
    EXPECT_EQ(parse_next_link("<https://x/v1/a?p=1; rel=\"next\""), std::nullopt);
    EXPECT_EQ(parse_next_link("<https://x/v1/a?p=1>; rel=\"nextpage\""), std::nullopt);
}

TEST(NextPageQuery, DecodesParametersAndDropsMaxNull) {
    EXPECT_EQ(
        next_page_query("https://webexapis.com/v1/people?email=a%40b.com&cursor=Zm9v%3D&max=null"),
        (Query{{"email", "a@b.com"}, {"cursor", "Zm9v="}}));
    EXPECT_EQ(next_page_query("http://127.0.0.1:5/v1/m?max=100&cursor=x#frag"),
              (Query{{"max", "100"}, {"cursor", "x"}}));
    EXPECT_EQ(next_page_query("https://x/v1/people"), Query{});
    EXPECT_EQ(next_page_query("https://x/v1/p?flag&a=%zz"), (Query{{"flag", ""}, {"a", "%zz"}}));
}

}  // namespace
}  // namespace wxbatch::actions
