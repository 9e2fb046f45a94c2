// Header binding, templates, the registry and the row checks every action shares.

#include <gtest/gtest.h>

#include "support/scripted_api.hpp"
#include "wxbatch/actions/action.hpp"
#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

using testing::bind;
using testing::make_row;

TEST(ActionRegistry, ListsTheEightActionsInOrder) {
    std::vector<std::string> names;
    for (const Action* action : all_actions()) {
        names.emplace_back(action->name());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"people.create", "people.update", "people.delete",
                                               "licenses.assign", "memberships.create",
                                               "memberships.delete", "teamMemberships.create",
                                               "messages.create"}));
    EXPECT_EQ(find_action("memberships.delete"), &memberships_delete_action());
    EXPECT_EQ(find_action("people.nope"), nullptr);
    for (const Action* action : all_actions()) {
        EXPECT_FALSE(action->description().empty()) << action->name();
        EXPECT_FALSE(action->scopes().empty()) << action->name();
    }
    EXPECT_FALSE(messages_create_action().verifiable());
    EXPECT_EQ(messages_create_action().scopes(), std::vector<std::string>{"spark:messages_write"});
}

TEST(ActionColumns, AcceptsControlHubHeadersCaseInsensitively) {
    const Action& action = people_create_action();
    const std::vector<std::string> header = {
        "First Name", "LAST NAME", " User ID/Email (Required) ", "Phone Number", "Unrelated"};
    const ColumnMap map = bind(action, header);
    const auto row = make_row({"Ann", "Lee", "ann@example.com", "+1 408 555 0100", "x"});
    EXPECT_EQ(map.get(action.columns(), row, "email"), "ann@example.com");
    EXPECT_EQ(map.get(action.columns(), row, "firstName"), "Ann");
    EXPECT_EQ(map.get(action.columns(), row, "lastName"), "Lee");
    EXPECT_EQ(map.get(action.columns(), row, "phoneNumber"), "+1 408 555 0100");
    EXPECT_EQ(map.get(action.columns(), row, "displayName"), "");
    EXPECT_EQ(map.get(action.columns(), row, "noSuchColumn"), "");
}

TEST(ActionColumns, MissingCriticalColumnsAreListedWithTheHeadersFound) {
    auto map = people_create_action().bind_header({"department", "title"});
    ASSERT_FALSE(map.has_value());
    EXPECT_EQ(map.error(),
              "people.create: missing required columns: email, one of "
              "displayName/firstName/lastName; found: department, title");
    auto messages = messages_create_action().bind_header({"roomId"});
    ASSERT_FALSE(messages.has_value());
    EXPECT_EQ(messages.error(),
              "messages.create: missing required column: one of text/markdown; found: roomId");
}

TEST(ActionColumns, OneMemberOfAGroupIsEnough) {
    EXPECT_TRUE(people_create_action().bind_header({"email", "lastName"}).has_value());
    EXPECT_TRUE(licenses_assign_action().bind_header({"email", "remove"}).has_value());
    EXPECT_TRUE(messages_create_action().bind_header({"toPersonEmail", "markdown"}).has_value());
}

TEST(ActionColumns, TemplateHasCanonicalHeaderAndExampleRow) {
    EXPECT_EQ(memberships_create_action().csv_template(),
              "roomId,personEmail,isModerator\n"
              "Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQ,john.andersen@example.com,false\n");
    EXPECT_EQ(people_delete_action().csv_template(), "email\njohn.andersen@example.com\n");
}

TEST(ActionValidation, FieldCountMustMatchTheHeader) {
    const Action& action = people_delete_action();
    const ColumnMap map = bind(action, {"email", "note"});
    const auto error = action.validate(make_row({"a@example.com", "x", "y"}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "");
    EXPECT_EQ(error->message, "row has 3 fields, header has 2");
}

TEST(ActionValidation, CriticalValuesMustBeNonEmpty) {
    const Action& action = people_create_action();
    const ColumnMap map = bind(action, {"email", "firstName", "lastName"});
    auto error = action.validate(make_row({" ", "Ann", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "email");
    EXPECT_EQ(error->message, "email is empty");
    error = action.validate(make_row({"a@example.com", "", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, "one of displayName, firstName, lastName must be non-empty");
    EXPECT_FALSE(action.validate(make_row({"a@example.com", "", "Lee"}), map).has_value());
}

TEST(ActionValidation, MalformedEmailNamesTheField) {
    const Action& action = memberships_create_action();
    const ColumnMap map = bind(action, {"roomId", "personEmail"});
    const auto error = action.validate(make_row({"R1", "ann@@example.com"}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "personEmail");
    EXPECT_EQ(error->message, "personEmail 'ann@@example.com' is not a valid email address");
}

TEST(EmailSyntax, AcceptsUsualAddressesAndRejectsMalformedOnes) {
    for (const char* good : {"a@example.com", "first.last+tag@sub.example.co.uk",
                             "o'neil@ex-ample.org", "x_y@a1.io"}) {
        EXPECT_TRUE(is_valid_email(good)) << good;
    }
    for (const char* bad :
         {"", "plain", "@example.com", "a@", "a@example", "a b@example.com", ".a@example.com",
          "a.@example.com", "a..b@example.com", "a@-example.com", "a@example-.com",
          "a@exa_mple.com", "a@example..com", "a@b@example.com", "a@example.com."}) {
        EXPECT_FALSE(is_valid_email(bad)) << bad;
    }
    EXPECT_FALSE(is_valid_email(std::string(65, 'a') + "@example.com"));
    EXPECT_TRUE(is_valid_email(std::string(64, 'a') + "@example.com"));
}

TEST(IdLists, SplitOnSemicolonOrBarAndDropBlanks) {
    EXPECT_EQ(split_ids(" L1; L2 |L3;;| "), (std::vector<std::string>{"L1", "L2", "L3"}));
    EXPECT_TRUE(split_ids("  ").empty());
}

TEST(Booleans, ParseTheUsualSpellings) {
    EXPECT_EQ(parse_bool("TRUE"), std::optional<bool>(true));
    EXPECT_EQ(parse_bool(" yes "), std::optional<bool>(true));
    EXPECT_EQ(parse_bool("0"), std::optional<bool>(false));
    EXPECT_EQ(parse_bool("No"), std::optional<bool>(false));
    EXPECT_EQ(parse_bool("maybe"), std::nullopt);
}

TEST(RowStatusNames, AreStable) {
    EXPECT_STREQ(to_string(RowStatus::Success), "SUCCESS");
    EXPECT_STREQ(to_string(RowStatus::AlreadyDone), "ALREADY_DONE");
    EXPECT_STREQ(to_string(RowStatus::RowError), "ROW_ERROR");
    EXPECT_STREQ(to_string(RowStatus::NotDone), "NOT_DONE");
}

}  // namespace
}  // namespace wxbatch::actions

namespace wxbatch::actions {
namespace {

TEST(ActionColumns, TwoHeadersForOneColumnAreRefused) {
    auto map = people_delete_action().bind_header({"Email", "User ID/Email (Required)"});
    ASSERT_FALSE(map.has_value());
    EXPECT_EQ(map.error(),
              "people.delete: columns 'Email' and 'User ID/Email (Required)' both mean email; "
              "keep one");
}

}  // namespace
}  // namespace wxbatch::actions
