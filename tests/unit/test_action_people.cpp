// people.create / people.update / people.delete against a scripted ApiCaller: exact calls and
// every outcome (SPEC §4).

#include <gtest/gtest.h>

#include "support/scripted_api.hpp"
#include "wxbatch/actions/builtin.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;
using testing::ambiguous;
using testing::bind;
using testing::exhausted;
using testing::http_error;
using testing::make_row;
using testing::ok;
using testing::page;
using testing::ScriptedApi;
using testing::stopped;
using Lines = std::vector<std::string>;

const json k_ann = {
    {"id", "P1"},
    {"emails", {"ann@example.com"}},
    {"displayName", "Ann Lee"},
    {"firstName", "Ann"},
    {"created", "2024-01-01T00:00:00.000Z"},
    {"status", "active"},
    {"licenses", {"L1"}},
    {"phoneNumbers",
     {{{"type", "mobile"}, {"value", "+1 555"}}, {{"type", "work"}, {"value", "+1 408"}}}}};

class PeopleCreateTest : public ::testing::Test {
  protected:
    RowOutcome run(ScriptedApi& api, std::vector<std::string> fields, ExecOptions options = {}) {
        const Action& action = people_create_action();
        const ColumnMap map = bind(action, m_header);
        const auto row = make_row(std::move(fields));
        EXPECT_FALSE(action.validate(row, map).has_value());
        return action.execute(row, map, api, options);
    }
    std::vector<std::string> m_header = {"email", "displayName", "firstName", "lastName"};
};

TEST_F(PeopleCreateTest, PostsThePersonAndSucceeds) {
    ScriptedApi api;
    api.then(ok(k_ann));
    const RowOutcome out = run(api, {"ann@example.com", "Ann Lee", "Ann", ""});
    EXPECT_EQ(out.status, RowStatus::Success);
    EXPECT_EQ(out.http_status, 200);
    EXPECT_EQ(out.tracking_id, "TRACK_OK");
    ASSERT_EQ(api.lines(), Lines{"POST /people"});
    const auto& request = api.calls()[0];
    EXPECT_TRUE(request.mutating);
    EXPECT_EQ(request.endpoint, "POST /people");
    EXPECT_EQ(
        *request.body,
        json({{"emails", {"ann@example.com"}}, {"displayName", "Ann Lee"}, {"firstName", "Ann"}}));
}

TEST_F(PeopleCreateTest, CallingColumnsAskForCallingDataAndLicensesAreSplit) {
    m_header = {"User ID/Email (Required)",
                "Display Name",
                "Phone Number",
                "Extension",
                "Location ID",
                "licenses"};
    ScriptedApi api;
    api.then(ok(k_ann));
    EXPECT_EQ(run(api, {"ann@example.com", "Ann", "+14085550100", "133", "LOC1", "L1;L2"}).status,
              RowStatus::Success);
    ASSERT_EQ(api.lines(), Lines{"POST /people?callingData=true"});
    EXPECT_EQ(*api.calls()[0].body,
              json({{"emails", {"ann@example.com"}},
                    {"displayName", "Ann"},
                    {"extension", "133"},
                    {"locationId", "LOC1"},
                    {"phoneNumbers", {{{"type", "work"}, {"value", "+14085550100"}}}},
                    {"licenses", {"L1", "L2"}}}));
}

TEST_F(PeopleCreateTest, ConflictIsAlreadyDone) {
    ScriptedApi api;
    api.then(http_error(409, "exists"));
    const RowOutcome out = run(api, {"ann@example.com", "Ann", "", ""});
    EXPECT_EQ(out.status, RowStatus::AlreadyDone);
    EXPECT_EQ(out.http_status, 409);
    EXPECT_EQ(api.calls().size(), 1u);
}

TEST_F(PeopleCreateTest, OtherHttpErrorIsANonRetryableRowError) {
    ScriptedApi api;
    api.then(http_error(400, "Invalid email"));
    const RowOutcome out = run(api, {"ann@example.com", "Ann", "", ""});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::RowErrorNonRetryable);
    EXPECT_EQ(out.http_status, 400);
    EXPECT_EQ(out.message, "HTTP 400: Invalid email");
    EXPECT_EQ(out.tracking_id, "TRACK_400");
    EXPECT_EQ(api.calls().size(), 1u);
}

TEST_F(PeopleCreateTest, BadRequestWithCallingDataIsVerified) {
    m_header = {"email", "displayName", "extension"};
    ScriptedApi created;
    created.then(http_error(400, "calling failed")).then(page(json::array({k_ann})));
    const RowOutcome done = run(created, {"ann@example.com", "Ann", "133"});
    EXPECT_EQ(done.status, RowStatus::AlreadyDone);
    EXPECT_EQ(created.lines(),
              (Lines{"POST /people?callingData=true", "GET /people?email=ann@example.com"}));

    ScriptedApi refused;
    refused.then(http_error(400, "bad extension")).then(page(json::array()));
    const RowOutcome error = run(refused, {"ann@example.com", "Ann", "133"});
    EXPECT_EQ(error.status, RowStatus::RowError);
    EXPECT_EQ(error.error_class, webex::ErrorClass::RowErrorNonRetryable);
    EXPECT_EQ(error.message, "HTTP 400: bad extension");
    EXPECT_EQ(refused.calls().size(), 2u);  // verified, not resent
}

TEST_F(PeopleCreateTest, AmbiguousThenFoundIsAlreadyDone) {
    ScriptedApi api;
    api.then(ambiguous(504, "HTTP 504")).then(page(json::array({k_ann})));
    const RowOutcome out = run(api, {"ann@example.com", "Ann", "", ""});
    EXPECT_EQ(out.status, RowStatus::AlreadyDone);
    EXPECT_EQ(out.message, "POST /people outcome unknown (HTTP 504); verified applied");
    EXPECT_EQ(api.lines(), (Lines{"POST /people", "GET /people?email=ann@example.com"}));
}

TEST_F(PeopleCreateTest, AmbiguousThenNotFoundResends) {
    ScriptedApi api;
    api.then(ambiguous()).then(page(json::array())).then(ok(k_ann));
    EXPECT_EQ(run(api, {"ann@example.com", "Ann", "", ""}).status, RowStatus::Success);
    EXPECT_EQ(api.lines(),
              (Lines{"POST /people", "GET /people?email=ann@example.com", "POST /people"}));
}

TEST_F(PeopleCreateTest, ResendsAreBoundedByMaxAttempts) {
    ScriptedApi api(2);
    api.then(ambiguous()).then(page(json::array())).then(ambiguous()).then(page(json::array()));
    const RowOutcome out = run(api, {"ann@example.com", "Ann", "", ""});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::TransientRetryable);
    EXPECT_EQ(out.message,
              "POST /people outcome unknown (timeout after send); verified not applied after every "
              "send");
    EXPECT_EQ(api.calls().size(), 4u);
    EXPECT_EQ(api.unused(), 0u);
}

TEST_F(PeopleCreateTest, ExhaustedIsTransientAndStoppedIsNotDone) {
    ScriptedApi api;
    api.then(exhausted()).then(stopped());
    const RowOutcome transient = run(api, {"ann@example.com", "Ann", "", ""});
    EXPECT_EQ(transient.status, RowStatus::RowError);
    EXPECT_EQ(transient.error_class, webex::ErrorClass::TransientRetryable);
    EXPECT_EQ(transient.http_status, 503);
    EXPECT_EQ(transient.message, "HTTP 503 after 5 attempts");
    EXPECT_EQ(transient.tracking_id, "TRACK_EXHAUSTED");
    EXPECT_EQ(run(api, {"ann@example.com", "Ann", "", ""}).status, RowStatus::NotDone);
}

TEST_F(PeopleCreateTest, VerifyFirstLooksUpBeforeSending) {
    ScriptedApi found;
    found.then(page(json::array({k_ann})));
    EXPECT_EQ(run(found, {"ann@example.com", "Ann", "", ""}, {.verify_first = true}).status,
              RowStatus::AlreadyDone);
    EXPECT_EQ(found.lines(), Lines{"GET /people?email=ann@example.com"});

    ScriptedApi absent;
    absent.then(page(json::array())).then(ok(k_ann));
    EXPECT_EQ(run(absent, {"ann@example.com", "Ann", "", ""}, {.verify_first = true}).status,
              RowStatus::Success);
    EXPECT_EQ(absent.lines(), (Lines{"GET /people?email=ann@example.com", "POST /people"}));
}

TEST_F(PeopleCreateTest, VerificationFollowsNextLinksAndIgnoresOtherEmails) {
    ScriptedApi api;
    json other = k_ann;
    other["emails"] = {"someone@example.com"};
    api.then(page(json::array({other}),
                  "https://webexapis.com/v1/people?email=ann%40example.com&cursor=Q2%2B&max=null"))
        .then(page(json::array({k_ann})));
    EXPECT_EQ(run(api, {"ANN@example.com", "Ann", "", ""}, {.verify_first = true}).status,
              RowStatus::AlreadyDone);
    EXPECT_EQ(api.lines(), (Lines{"GET /people?email=ANN@example.com",
                                  "GET /people?email=ann@example.com&cursor=Q2+"}));
}

TEST_F(PeopleCreateTest, FailedVerificationIsTheLookupsFailure) {
    ScriptedApi api;
    api.then(ambiguous()).then(exhausted());
    const RowOutcome out = run(api, {"ann@example.com", "Ann", "", ""});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::TransientRetryable);
    EXPECT_EQ(api.calls().size(), 2u);
}

RowOutcome run_update(ScriptedApi& api, std::vector<std::string> header,
                      std::vector<std::string> fields) {
    const Action& action = people_update_action();
    const ColumnMap map = bind(action, std::move(header));
    const auto row = make_row(std::move(fields));
    EXPECT_FALSE(action.validate(row, map).has_value());
    return action.execute(row, map, api, {});
}

TEST(PeopleUpdate, ReadsModifiesAndWritesTheWholePerson) {
    ScriptedApi api;
    api.then(page(json::array({k_ann}))).then(ok(k_ann));
    const RowOutcome out = run_update(api, {"email", "title", "firstName", "lastName"},
                                      {"ann@example.com", "GM", "", "Lee"});
    EXPECT_EQ(out.status, RowStatus::Success);
    ASSERT_EQ(api.lines(), (Lines{"GET /people?email=ann@example.com", "PUT /people/P1"}));
    EXPECT_EQ(api.calls()[1].endpoint, "PUT /people/{id}");
    EXPECT_TRUE(api.calls()[1].mutating);
    EXPECT_FALSE(api.calls()[0].mutating);
    EXPECT_EQ(*api.calls()[1].body, json({{"emails", {"ann@example.com"}},
                                          {"displayName", "Ann Lee"},
                                          {"firstName", "Ann"},
                                          {"lastName", "Lee"},
                                          {"title", "GM"},
                                          {"licenses", {"L1"}},
                                          {"phoneNumbers", k_ann["phoneNumbers"]}}));
}

TEST(PeopleUpdate, PhoneNumberReplacesTheWorkNumberWithCallingData) {
    ScriptedApi api;
    api.then(page(json::array({k_ann}))).then(ok(k_ann));
    EXPECT_EQ(run_update(api, {"email", "Phone Number"}, {"ann@example.com", "+1 999"}).status,
              RowStatus::Success);
    ASSERT_EQ(api.lines(), (Lines{"GET /people?email=ann@example.com&callingData=true",
                                  "PUT /people/P1?callingData=true"}));
    EXPECT_EQ(
        (*api.calls()[1].body)["phoneNumbers"],
        json({{{"type", "mobile"}, {"value", "+1 555"}}, {{"type", "work"}, {"value", "+1 999"}}}));
}

TEST(PeopleUpdate, UnknownPersonIsARowErrorWithoutAPut) {
    ScriptedApi api;
    api.then(page(json::array()));
    const RowOutcome out = run_update(api, {"email", "title"}, {"zed@example.com", "GM"});
    EXPECT_EQ(out.status, RowStatus::RowError);
    EXPECT_EQ(out.error_class, webex::ErrorClass::RowErrorNonRetryable);
    EXPECT_EQ(out.message, "no person with email zed@example.com");
    EXPECT_EQ(api.calls().size(), 1u);
}

TEST(PeopleUpdate, AmbiguousPutIsResentBecauseItIsAFullReplace) {
    ScriptedApi api;
    api.then(page(json::array({k_ann}))).then(ambiguous(502, "HTTP 502")).then(ok(k_ann));
    EXPECT_EQ(run_update(api, {"email", "title"}, {"ann@example.com", "GM"}).status,
              RowStatus::Success);
    EXPECT_EQ(api.lines(),
              (Lines{"GET /people?email=ann@example.com", "PUT /people/P1", "PUT /people/P1"}));
}

TEST(PeopleUpdate, ARowWithNothingToUpdateIsInvalid) {
    const Action& action = people_update_action();
    const ColumnMap map = bind(action, {"email", "title"});
    const auto error = action.validate(make_row({"ann@example.com", ""}), map);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, "nothing to update: every column but email is empty");
}

RowOutcome run_delete(ScriptedApi& api) {
    const Action& action = people_delete_action();
    const ColumnMap map = bind(action, {"Email"});
    return action.execute(make_row({"ann@example.com"}), map, api, {.verify_first = true});
}

TEST(PeopleDelete, LooksUpThenDeletes) {
    ScriptedApi api;
    api.then(page(json::array({k_ann}))).then(ok(nullptr, 204));
    EXPECT_EQ(run_delete(api).status, RowStatus::Success);
    EXPECT_EQ(api.lines(), (Lines{"GET /people?email=ann@example.com", "DELETE /people/P1"}));
    EXPECT_EQ(api.calls()[1].endpoint, "DELETE /people/{id}");
    EXPECT_FALSE(api.calls()[1].body.has_value());
}

TEST(PeopleDelete, NotFoundIsAlreadyDone) {
    ScriptedApi absent;
    absent.then(page(json::array()));
    const RowOutcome out = run_delete(absent);
    EXPECT_EQ(out.status, RowStatus::AlreadyDone);
    EXPECT_EQ(out.message, "no person with email ann@example.com");
    EXPECT_EQ(absent.calls().size(), 1u);

    ScriptedApi gone;
    gone.then(page(json::array({k_ann}))).then(http_error(404, "not found"));
    EXPECT_EQ(run_delete(gone).status, RowStatus::AlreadyDone);
}

TEST(PeopleDelete, AGarbledLookupIsNeverReadAsNotFound) {
    for (const json& garbage : {json("<html>oops</html>"), json::object(), json({{"items", 3}})}) {
        ScriptedApi api;
        api.then(ok(garbage));
        const RowOutcome out = run_delete(api);
        EXPECT_EQ(out.status, RowStatus::RowError) << garbage.dump();
        EXPECT_EQ(out.error_class, webex::ErrorClass::TransientRetryable);
        EXPECT_NE(out.message.find("not a list"), std::string::npos) << out.message;
        EXPECT_EQ(api.calls().size(), 1u);  // no DELETE on a guess
    }
}

TEST(PeopleDelete, AmbiguousDeleteIsVerified) {
    ScriptedApi applied;
    applied.then(page(json::array({k_ann}))).then(ambiguous()).then(page(json::array()));
    EXPECT_EQ(run_delete(applied).status, RowStatus::AlreadyDone);
    EXPECT_EQ(applied.calls().size(), 3u);

    ScriptedApi not_applied;
    not_applied.then(page(json::array({k_ann})))
        .then(ambiguous())
        .then(page(json::array({k_ann})))
        .then(ok(nullptr, 204));
    EXPECT_EQ(run_delete(not_applied).status, RowStatus::Success);
    EXPECT_EQ(not_applied.lines(),
              (Lines{"GET /people?email=ann@example.com", "DELETE /people/P1",
                     "GET /people?email=ann@example.com", "DELETE /people/P1"}));
}

}  // namespace
}  // namespace wxbatch::actions
