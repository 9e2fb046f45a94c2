// The reader and the action mapper together on the fixture files in tests/fixtures/csv/.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/csv/reader.hpp"

namespace wxbatch::csv {
namespace {

std::string fixture(const std::string& name) {
    return std::string(WXBATCH_TEST_FIXTURES) + "/csv/" + name;
}

// "row N (line L): field: message" for each row that does not validate, "" for the others.
std::vector<std::string> validate_file(const std::string& path, const actions::Action& action,
                                       CsvOptions options = {}) {
    auto reader = CsvReader::open(path, options);
    EXPECT_TRUE(reader.has_value()) << (reader ? "" : reader.error().message);
    if (!reader) {
        return {};
    }
    auto map = action.bind_header(reader->header());
    EXPECT_TRUE(map.has_value()) << (map ? "" : map.error());
    if (!map) {
        return {};
    }
    std::vector<std::string> results;
    for (;;) {
        auto next = reader->next();
        EXPECT_TRUE(next.has_value());
        if (!next || !next->has_value()) {
            return results;
        }
        const RowRecord& row = **next;
        const auto error = action.validate(row, *map);
        results.push_back(error ? "row " + std::to_string(row.row_number) + " (line " +
                                      std::to_string(row.line_number) + "): " + error->field +
                                      ": " + error->message
                                : "");
    }
}

TEST(CsvFixtures, ControlHubExportValidatesForPeopleCreate) {
    EXPECT_EQ(
        validate_file(fixture("controlhub_users.csv"), actions::people_create_action()),
        (std::vector<std::string>{
            "", "", "",
            "row 4 (line 5): email: email 'dan.kim@@example.com' is not a valid email address",
            "row 5 (line 7): : row has 5 fields, header has 7"}));
}

TEST(CsvFixtures, SemicolonFileNeedsTheDelimiterOption) {
    auto reader = CsvReader::open(fixture("memberships_semicolon.csv"), {});
    ASSERT_FALSE(reader.has_value());
    EXPECT_EQ(reader.error().message,
              fixture("memberships_semicolon.csv") +
                  ":1: the header looks semicolon-delimited; pass --delimiter ';'");
    EXPECT_EQ(validate_file(fixture("memberships_semicolon.csv"),
                            actions::memberships_create_action(), CsvOptions{';'}),
              (std::vector<std::string>{"", ""}));
}

}  // namespace
}  // namespace wxbatch::csv
