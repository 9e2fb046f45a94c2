// memberships.create, memberships.delete and teamMemberships.create against a scripted
// ApiCaller.

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
using testing::page;
using testing::ScriptedApi;
using Lines = std::vector<std::string>;

const json k_membership = {{"id", "M1"}, {"roomId", "R1"}, {"personEmail", "ann@example.com"}};

RowOutcome run(const Action& action, ScriptedApi& api, std::vector<std::string> header,
               std::vector<std::string> fields, ExecOptions options = {}) {
    const ColumnMap map = bind(action, std::move(header));
    const auto row = make_row(std::move(fields));
    EXPECT_FALSE(action.validate(row, map).has_value());
    return action.execute(row, map, api, options);
}

TEST(MembershipsCreate, PostsRoomPersonAndModerator) {
    ScriptedApi api;
    api.then(ok(k_membership));
    EXPECT_EQ(run(memberships_create_action(), api, {"Space ID", "Email", "Moderator"},
                  {"R1", "ann@example.com", "yes"})
                  .status,
              RowStatus::Success);
    ASSERT_EQ(api.lines(), Lines{"POST /memberships"});
    EXPECT_EQ(api.calls()[0].endpoint, "POST /memberships");
    EXPECT_TRUE(api.calls()[0].mutating);
    EXPECT_EQ(*api.calls()[0].body,
              json({{"roomId", "R1"}, {"personEmail", "ann@example.com"}, {"isModerator", true}}));
    // Verifiable by a lookup (and 409 means done): kept-alive connections are fine.
    EXPECT_FALSE(api.calls()[0].fresh_connection);
}

TEST(MembershipsCreate, OmitsAnEmptyModeratorAndTreatsConflictAsDone) {
    ScriptedApi api;
    api.then(http_error(409, "already a member"));
    const RowOutcome out =
        run(memberships_create_action(), api, {"roomId", "personEmail", "isModerator"},
            {"R1", "ann@example.com", ""});
    EXPECT_EQ(out.status, RowStatus::AlreadyDone);
    EXPECT_EQ(out.tracking_id, "TRACK_409");
    EXPECT_EQ(*api.calls()[0].body, json({{"roomId", "R1"}, {"personEmail", "ann@example.com"}}));
}

TEST(MembershipsCreate, UnknownRoomIsANonRetryableRowError) {
    ScriptedApi api;
    api.then(http_error(404, "room not found"));
    const RowOutcome out =
        run(memberships_create_action(), api, {"roomId", "personEmail"}, {"R9", "ann@example.com"});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::RowErrorNonRetryable);
    EXPECT_EQ(out.message, "HTTP 404: room not found");
}

TEST(MembershipsCreate, AmbiguousIsVerifiedWithTheMembershipLookup) {
    ScriptedApi applied;
    applied.then(ambiguous()).then(page(json::array({k_membership})));
    EXPECT_EQ(run(memberships_create_action(), applied, {"roomId", "personEmail"},
                  {"R1", "ann@example.com"})
                  .status,
              RowStatus::AlreadyDone);
    EXPECT_EQ(applied.lines(), (Lines{"POST /memberships",
                                      "GET /memberships?roomId=R1&personEmail=ann@example.com"}));

    ScriptedApi resent;
    resent.then(ambiguous()).then(page(json::array())).then(ok(k_membership));
    EXPECT_EQ(run(memberships_create_action(), resent, {"roomId", "personEmail"},
                  {"R1", "ann@example.com"})
                  .status,
              RowStatus::Success);
    EXPECT_EQ(resent.calls().size(), 3u);
}

TEST(MembershipsCreate, InvalidModeratorValueIsAValidationError) {
    const Action& action = memberships_create_action();
    const ColumnMap map = bind(action, {"roomId", "personEmail", "isModerator"});
    const auto error = action.validate(make_row({"R1", "ann@example.com", "perhaps"}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->field, "isModerator");
    EXPECT_EQ(error->message, "isModerator 'perhaps' is not true/false/yes/no/1/0");
}

TEST(MembershipsDelete, LooksUpThenDeletesById) {
    ScriptedApi api;
    api.then(page(json::array({k_membership}))).then(ok(nullptr, 204));
    EXPECT_EQ(
        run(memberships_delete_action(), api, {"roomId", "personEmail"}, {"R1", "ann@example.com"})
            .status,
        RowStatus::Success);
    EXPECT_EQ(api.lines(), (Lines{"GET /memberships?roomId=R1&personEmail=ann@example.com",
                                  "DELETE /memberships/M1"}));
    EXPECT_EQ(api.calls()[1].endpoint, "DELETE /memberships/{id}");
}

TEST(MembershipsDelete, NotFoundOrGoneIsAlreadyDone) {
    ScriptedApi absent;
    absent.then(page(json::array()));
    const RowOutcome out = run(memberships_delete_action(), absent, {"roomId", "personEmail"},
                               {"R1", "ann@example.com"});
    EXPECT_EQ(out.status, RowStatus::AlreadyDone);
    EXPECT_EQ(out.message, "no membership of ann@example.com in the room");

    ScriptedApi gone;
    gone.then(page(json::array({k_membership}))).then(http_error(404));
    EXPECT_EQ(
        run(memberships_delete_action(), gone, {"roomId", "personEmail"}, {"R1", "ann@example.com"})
            .status,
        RowStatus::AlreadyDone);
}

TEST(MembershipsDelete, FailedLookupIsARowErrorWithoutADelete) {
    ScriptedApi api;
    api.then(http_error(403, "not a moderator"));
    const RowOutcome out =
        run(memberships_delete_action(), api, {"roomId", "personEmail"}, {"R1", "ann@example.com"});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.http_status, 403);
    EXPECT_EQ(api.calls().size(), 1u);
}

const json k_team_member = {{"id", "TM1"}, {"teamId", "T1"}, {"personEmail", "ann@example.com"}};

TEST(TeamMembershipsCreate, PostsTeamAndPerson) {
    ScriptedApi api;
    api.then(ok(k_team_member));
    EXPECT_EQ(run(team_memberships_create_action(), api, {"Team ID", "personEmail", "isModerator"},
                  {"T1", "ann@example.com", "false"})
                  .status,
              RowStatus::Success);
    ASSERT_EQ(api.lines(), Lines{"POST /team/memberships"});
    EXPECT_EQ(*api.calls()[0].body,
              json({{"teamId", "T1"}, {"personEmail", "ann@example.com"}, {"isModerator", false}}));
}

TEST(TeamMembershipsCreate, ConflictIsAlreadyDone) {
    ScriptedApi api;
    api.then(http_error(409));
    EXPECT_EQ(run(team_memberships_create_action(), api, {"teamId", "personEmail"},
                  {"T1", "ann@example.com"})
                  .status,
              RowStatus::AlreadyDone);
}

TEST(TeamMembershipsCreate, VerificationPagesThroughTheTeamFilteringByEmail) {
    ScriptedApi api;
    const json other = {{"id", "TM0"}, {"teamId", "T1"}, {"personEmail", "bob@example.com"}};
    api.then(page(json::array({other}),
                  "https://webexapis.com/v1/team/memberships?teamId=T1&cursor=c2"))
        .then(page(json::array({k_team_member})));
    EXPECT_EQ(run(team_memberships_create_action(), api, {"teamId", "personEmail"},
                  {"T1", "Ann@Example.com"}, {.verify_first = true})
                  .status,
              RowStatus::AlreadyDone);
    EXPECT_EQ(api.lines(), (Lines{"GET /team/memberships?teamId=T1",
                                  "GET /team/memberships?teamId=T1&cursor=c2"}));
}

TEST(TeamMembershipsCreate, VerifyFirstNotFoundSends) {
    ScriptedApi api;
    api.then(page(json::array())).then(ok(k_team_member));
    EXPECT_EQ(run(team_memberships_create_action(), api, {"teamId", "personEmail"},
                  {"T1", "ann@example.com"}, {.verify_first = true})
                  .status,
              RowStatus::Success);
    EXPECT_EQ(api.lines(), (Lines{"GET /team/memberships?teamId=T1", "POST /team/memberships"}));
}

}  // namespace
}  // namespace wxbatch::actions

namespace wxbatch::actions {
namespace {

TEST(MembershipsDelete, AmbiguousDeleteIsVerifiedThenResent) {
    ScriptedApi api;
    api.then(page(json::array({k_membership})))
        .then(ambiguous(504, "HTTP 504"))
        .then(page(json::array({k_membership})))
        .then(ok(nullptr, 204));
    EXPECT_EQ(
        run(memberships_delete_action(), api, {"roomId", "personEmail"}, {"R1", "ann@example.com"})
            .status,
        RowStatus::Success);
    EXPECT_EQ(api.lines(), (Lines{"GET /memberships?roomId=R1&personEmail=ann@example.com",
                                  "DELETE /memberships/M1",
                                  "GET /memberships?roomId=R1&personEmail=ann@example.com",
                                  "DELETE /memberships/M1"}));
}

TEST(TeamMembershipsCreate, AmbiguousThenFoundIsAlreadyDone) {
    ScriptedApi api;
    api.then(ambiguous()).then(page(json::array({k_team_member})));
    const RowOutcome out = run(team_memberships_create_action(), api, {"teamId", "personEmail"},
                               {"T1", "ann@example.com"});
    EXPECT_EQ(out.status, RowStatus::AlreadyDone);
    EXPECT_EQ(api.lines(), (Lines{"POST /team/memberships", "GET /team/memberships?teamId=T1"}));
}

}  // namespace
}  // namespace wxbatch::actions
