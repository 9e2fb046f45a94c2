// licenses.assign and messages.create against a scripted ApiCaller.

#include <gtest/gtest.h>

#include "support/scripted_api.hpp"
#include "wxbatch/actions/builtin.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;
using testing::ambiguous;
using testing::bind;
using testing::http_error;
using testing::make_row;
using testing::ok;
using testing::ScriptedApi;
using Lines = std::vector<std::string>;

RowOutcome run(const Action& action, ScriptedApi& api, std::vector<std::string> header,
               std::vector<std::string> fields, ExecOptions options = {}) {
    const ColumnMap map = bind(action, std::move(header));
    const auto row = make_row(std::move(fields));
    EXPECT_FALSE(action.validate(row, map).has_value());
    return action.execute(row, map, api, options);
}

TEST(LicensesAssign, PatchesAddsAndRemoves) {
    ScriptedApi api;
    api.then(ok({{"email", "ann@example.com"}, {"licenses", {"L1", "L2"}}}));
    EXPECT_EQ(run(licenses_assign_action(), api, {"email", "add", "remove"},
                  {"ann@example.com", "L1|L2", "L3"})
                  .status,
              RowStatus::Success);
    ASSERT_EQ(api.lines(), Lines{"PATCH /licenses/users"});
    EXPECT_TRUE(api.calls()[0].mutating);
    EXPECT_EQ(api.calls()[0].endpoint, "PATCH /licenses/users");
    EXPECT_EQ(*api.calls()[0].body, json({{"email", "ann@example.com"},
                                          {"licenses",
                                           {{{"id", "L1"}, {"operation", "add"}},
                                            {{"id", "L2"}, {"operation", "add"}},
                                            {{"id", "L3"}, {"operation", "remove"}}}}}));
}

TEST(LicensesAssign, PartialContentListsWhatWasNotApplied) {
    ScriptedApi api;
    webex::ApiResult partial = ok({{"licenses", {"L1", "L3"}}}, 206);
    api.then(partial);
    const RowOutcome out = run(licenses_assign_action(), api, {"email", "add", "remove"},
                               {"ann@example.com", "L1;L2", "L3;L4"});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::RowErrorNonRetryable);
    EXPECT_EQ(out.http_status, 206);
    EXPECT_EQ(out.message, "partially applied (HTTP 206); not added: L2; not removed: L3");
}

TEST(LicensesAssign, AmbiguousPatchIsResentAsIdempotent) {
    ScriptedApi api(2);
    api.then(ambiguous()).then(ambiguous());
    const RowOutcome out =
        run(licenses_assign_action(), api, {"email", "Add Licenses"}, {"ann@example.com", "L1"});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::TransientRetryable);
    EXPECT_EQ(api.calls().size(), 2u);
}

TEST(LicensesAssign, ValidationNeedsAnIdAndNoContradiction) {
    const Action& action = licenses_assign_action();
    const ColumnMap map = bind(action, {"email", "add", "remove"});
    auto error = action.validate(make_row({"ann@example.com", " ; ", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, "no license id in add or remove");
    error = action.validate(make_row({"ann@example.com", "L1", "L1"}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "remove");
    EXPECT_EQ(error->message, "license id 'L1' is both added and removed");
    error = action.validate(make_row({"ann", "L1", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "email");
}

TEST(MessagesCreate, PostsToARoomOrAPerson) {
    ScriptedApi api;
    api.then(ok({{"id", "MSG1"}})).then(ok({{"id", "MSG2"}}));
    EXPECT_EQ(
        run(messages_create_action(), api, {"roomId", "text", "markdown"}, {"R1", "hi", "**hi**"})
            .status,
        RowStatus::Success);
    EXPECT_EQ(
        run(messages_create_action(), api, {"toPersonEmail", "text"}, {"ann@example.com", "hello"})
            .status,
        RowStatus::Success);
    ASSERT_EQ(api.lines(), (Lines{"POST /messages", "POST /messages"}));
    EXPECT_EQ(*api.calls()[0].body,
              json({{"roomId", "R1"}, {"text", "hi"}, {"markdown", "**hi**"}}));
    EXPECT_EQ(*api.calls()[1].body,
              json({{"toPersonEmail", "ann@example.com"}, {"text", "hello"}}));
    // A message cannot be verified afterwards: never sent on a reused connection.
    EXPECT_TRUE(api.calls()[0].fresh_connection);
}

TEST(MessagesCreate, AmbiguousIsOutcomeUnknownWithoutResend) {
    ScriptedApi api;
    api.then(ambiguous(0, "connection dropped after send"));
    const RowOutcome out = run(messages_create_action(), api, {"roomId", "text"}, {"R1", "hi"});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::OutcomeUnknown);
    EXPECT_EQ(out.message,
              "POST /messages outcome unknown (connection dropped after send); not resent");
    EXPECT_EQ(api.calls().size(), 1u);
}

TEST(MessagesCreate, ResendAmbiguousOptsInToResending) {
    ScriptedApi api;
    api.then(ambiguous()).then(ok({{"id", "MSG1"}}));
    EXPECT_EQ(run(messages_create_action(), api, {"roomId", "text"}, {"R1", "hi"},
                  {.resend_ambiguous = true})
                  .status,
              RowStatus::Success);
    EXPECT_EQ(api.calls().size(), 2u);

    ScriptedApi always(2);
    always.then(ambiguous()).then(ambiguous());
    const RowOutcome out = run(messages_create_action(), always, {"roomId", "text"}, {"R1", "hi"},
                               {.resend_ambiguous = true});
    EXPECT_EQ(out.error_class, webex::ErrorClass::OutcomeUnknown);
    EXPECT_EQ(always.calls().size(), 2u);
}

TEST(MessagesCreate, VerifyFirstWithoutResendIsOutcomeUnknownWithoutSending) {
    ScriptedApi api;
    const RowOutcome out = run(messages_create_action(), api, {"roomId", "text"}, {"R1", "hi"},
                               {.verify_first = true});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::OutcomeUnknown);
    EXPECT_TRUE(api.calls().empty());

    ScriptedApi opted_in;
    opted_in.then(ok({{"id", "MSG1"}}));
    EXPECT_EQ(run(messages_create_action(), opted_in, {"roomId", "text"}, {"R1", "hi"},
                  {.verify_first = true, .resend_ambiguous = true})
                  .status,
              RowStatus::Success);
}

TEST(MessagesCreate, ValidationChecksTargetsAndLength) {
    const Action& action = messages_create_action();
    const ColumnMap map = bind(action, {"roomId", "toPersonEmail", "text", "markdown"});
    auto error = action.validate(make_row({"R1", "ann@example.com", "hi", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, "give roomId or toPersonEmail, not both");
    error = action.validate(make_row({"", "", "hi", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, "one of roomId, toPersonEmail must be non-empty");
    error = action.validate(make_row({"R1", "", std::string(7440, 'x'), ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "text");
    EXPECT_EQ(error->message, "text is 7440 bytes, the limit is 7439");
    EXPECT_FALSE(
        action.validate(make_row({"R1", "", std::string(7439, 'x'), ""}), map).has_value());
    error = action.validate(make_row({"", "not-an-email", "hi", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "toPersonEmail");
}

}  // namespace
}  // namespace wxbatch::actions
