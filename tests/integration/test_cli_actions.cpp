// `wxbatch actions`: the list with one-line descriptions and scopes, one action's columns, and
// `--template`, whose output must be a CSV that `wxbatch validate` accepts for that action.

#include <gtest/gtest.h>

#include <sstream>

#include "integration/harness.hpp"

namespace wxtest {
namespace {

const std::vector<std::string> k_actions{
    "people.create",      "people.update",      "people.delete",          "licenses.assign",
    "memberships.create", "memberships.delete", "teamMemberships.create", "messages.create"};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

TEST(CliActions, ListsEveryActionWithADescriptionAndItsScopes) {
    TempDir dir;
    const RunOutput r = run_wxbatch(dir, {"actions"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2 * k_actions.size()) << r.out;
    for (std::size_t i = 0; i < k_actions.size(); ++i) {
        const std::string& name_line = lines[2 * i];
        EXPECT_EQ(name_line.rfind(k_actions[i] + " ", 0), 0u) << name_line;
        EXPECT_GT(name_line.size(), 30u) << "no description: " << name_line;
        EXPECT_NE(lines[2 * i + 1].find("scopes: spark"), std::string::npos) << lines[2 * i + 1];
    }
    EXPECT_NE(r.out.find("scopes: spark-admin:people_write, spark-admin:people_read"),
              std::string::npos);
    EXPECT_NE(r.out.find("scopes: spark:messages_write"), std::string::npos);
}

TEST(CliActions, OneActionShowsItsColumnsRolesAndAliases) {
    TempDir dir;
    const RunOutput r = run_wxbatch(dir, {"actions", "people.create"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("people.create: ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("\n  email "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("required"), std::string::npos);
    EXPECT_NE(r.out.find("optional"), std::string::npos);
    EXPECT_NE(r.out.find("User ID/Email (Required)"), std::string::npos) << r.out;
}

TEST(CliActions, EveryTemplateValidatesCleanlyForItsAction) {
    TempDir dir;
    for (const std::string& action : k_actions) {
        const RunOutput t = run_wxbatch(dir, {"actions", action, "--template"});
        ASSERT_EQ(t.exit_code, 0) << action << t.err;
        const auto lines = lines_of(t.out);
        ASSERT_EQ(lines.size(), 2u) << action << ": " << t.out;
        const fs::path csv = dir / (action + ".csv");
        write_file(csv, t.out);
        const RunOutput v =
            run_wxbatch(dir, {"validate", "--input", csv.string(), "--action", action, "--out",
                              (dir / ("check-" + action)).string()});
        EXPECT_EQ(v.exit_code, 0) << action << "\n" << t.out << v.out << v.err;
    }
}

TEST(CliActions, UnknownActionAndTemplateWithoutNameAreUsageErrors) {
    TempDir dir;
    RunOutput r = run_wxbatch(dir, {"actions", "people.frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown action 'people.frobnicate'"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    r = run_wxbatch(dir, {"actions", "--template"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--template needs an action name"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace wxtest
