#include <string>

#include <gtest/gtest.h>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"

namespace wxbatch {
namespace {

Expected<int, Error> parse_positive(int v) {
    if (v <= 0) {
        return unexpected(Error{ErrorKind::Parse, "not positive: " + std::to_string(v)});
    }
    return v;
}

TEST(Expected, CarriesValueOrError) {
    auto ok = parse_positive(3);
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(*ok, 3);
    auto bad = parse_positive(-1);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::Parse);
    EXPECT_EQ(bad.error().message, "not positive: -1");
}

TEST(Expected, VoidSpecialisation) {
    Expected<void, Error> ok;
    EXPECT_TRUE(ok.has_value());
    Expected<void, Error> bad = unexpected(Error{ErrorKind::Io, "disk full"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "disk full");
}

}  // namespace
}  // namespace wxbatch
