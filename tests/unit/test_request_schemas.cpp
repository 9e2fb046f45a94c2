// Every request body the actions emit is validated against the JSON schema of its operation,
// copied from the Webex OpenAPI specs into tests/fixtures/openapi/. The validator covers the
// subset those schemas use (type, required, properties, items, enum) and rejects properties
// the schema does not declare, so an unknown field or a missing required one fails the test.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/scripted_api.hpp"
#include "wxbatch/actions/builtin.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;
using testing::bind;
using testing::make_row;
using testing::ok;
using testing::page;
using testing::ScriptedApi;

bool has_type(const json& value, const std::string& type) {
    if (type == "object")
        return value.is_object();
    if (type == "array")
        return value.is_array();
    if (type == "string")
        return value.is_string();
    if (type == "boolean")
        return value.is_boolean();
    if (type == "integer")
        return value.is_number_integer();
    if (type == "number")
        return value.is_number();
    return false;
}

// Appends to `errors` every way `value` breaks `schema`, each prefixed by its JSON path.
void check(const json& schema, const json& value, const std::string& where,
           std::vector<std::string>& errors) {
    for (const auto& [keyword, unused] : schema.items()) {
        static const std::vector<std::string> k_known = {"type",  "required", "properties",
                                                         "items", "enum",     "description"};
        if (std::find(k_known.begin(), k_known.end(), keyword) == k_known.end()) {
            errors.push_back(where + ": unsupported schema keyword '" + keyword + "'");
        }
    }
    if (schema.contains("type") && !has_type(value, schema["type"].get<std::string>())) {
        errors.push_back(where + ": expected " + schema["type"].get<std::string>() + ", got " +
                         value.dump());
        return;
    }
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
        errors.push_back(where + ": " + value.dump() + " is not one of " + schema["enum"].dump());
    }
    if (value.is_object()) {
        for (const auto& name : schema.value("required", json::array())) {
            if (!value.contains(name.get<std::string>())) {
                errors.push_back(where + ": missing required '" + name.get<std::string>() + "'");
            }
        }
        const json properties = schema.value("properties", json::object());
        for (const auto& [name, member] : value.items()) {
            if (!properties.contains(name)) {
                errors.push_back(where + ": unknown property '" + name + "'");
            } else {
                check(properties[name], member, where + "." + name, errors);
            }
        }
    }
    if (value.is_array() && schema.contains("items")) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            check(schema["items"], value[i], where + "[" + std::to_string(i) + "]", errors);
        }
    }
}

const json& schemas() {
    static const json k_schemas = [] {
        std::ifstream in(std::string(WXBATCH_TEST_FIXTURES) + "/openapi/request_schemas.json");
        return json::parse(in);
    }();
    return k_schemas;
}

// The spec's key for an action's endpoint label ("PUT /people/{id}" -> "PUT /people/{personId}").
std::string schema_key(const std::string& endpoint) {
    static const std::map<std::string, std::string> k_keys = {
        {"PUT /people/{id}", "PUT /people/{personId}"}};
    const auto found = k_keys.find(endpoint);
    return found == k_keys.end() ? endpoint : found->second;
}

std::vector<std::string> violations(const std::string& key, const json& body) {
    std::vector<std::string> errors;
    if (!schemas().contains(key)) {
        return {"no schema for " + key};
    }
    check(schemas()[key], body, "$", errors);
    return errors;
}

// Runs the action on one row with every answer a success and checks every body it sent.
// Returns how many bodies were checked.
std::size_t check_bodies(const Action& action, std::vector<std::string> header,
                         std::vector<std::string> fields, ScriptedApi& api) {
    const ColumnMap map = bind(action, std::move(header));
    const auto row = make_row(std::move(fields));
    const auto invalid = action.validate(row, map);
    EXPECT_FALSE(invalid.has_value()) << (invalid ? invalid->message : "");
    const RowOutcome out = action.execute(row, map, api, {});
    EXPECT_EQ(out.status, RowStatus::Success) << out.message;
    std::size_t checked = 0;
    for (const auto& request : api.calls()) {
        if (!request.body) {
            continue;
        }
        ++checked;
        EXPECT_EQ(violations(schema_key(request.endpoint), *request.body),
                  std::vector<std::string>{})
            << request.endpoint << " " << request.body->dump();
    }
    return checked;
}

TEST(RequestSchemaValidator, RejectsUnknownMissingMistypedAndOutOfEnum) {
    EXPECT_EQ(violations("POST /memberships", {{"roomId", "R"}, {"email", "a@b.c"}}),
              std::vector<std::string>{"$: unknown property 'email'"});
    EXPECT_EQ(violations("POST /memberships", {{"personEmail", "a@b.c"}}),
              std::vector<std::string>{"$: missing required 'roomId'"});
    EXPECT_EQ(violations("POST /memberships", {{"roomId", "R"}, {"isModerator", "true"}}),
              std::vector<std::string>{"$.isModerator: expected boolean, got \"true\""});
    EXPECT_EQ(
        violations("PATCH /licenses/users",
                   {{"email", "a@b.c"}, {"licenses", {{{"id", "L"}, {"operation", "grant"}}}}}),
        std::vector<std::string>{
            "$.licenses[0].operation: \"grant\" is not one of [\"remove\",\"add\"]"});
    EXPECT_EQ(violations("PATCH /licenses/users", {{"licenses", {{{"operation", "add"}}}}}),
              std::vector<std::string>{"$.licenses[0]: missing required 'id'"});
}

TEST(RequestSchemas, PeopleCreateWithEveryColumn) {
    ScriptedApi api;
    api.then(ok({{"id", "P1"}}));
    EXPECT_EQ(
        check_bodies(people_create_action(),
                     {"email", "displayName", "firstName", "lastName", "phoneNumber", "extension",
                      "locationId", "department", "title", "manager", "managerId", "licenses"},
                     {"ann@example.com", "Ann Lee", "Ann", "Lee", "+14085550100", "133", "LOC1",
                      "Sales", "GM", "Bob", "P0", "L1;L2"},
                     api),
        1u);
}

TEST(RequestSchemas, PeopleUpdateDropsReadOnlyFieldsOfTheFetchedPerson) {
    ScriptedApi api;
    const json fetched = {{"id", "P1"},
                          {"emails", {"ann@example.com"}},
                          {"sipAddresses", {{{"type", "cloud-calling"}, {"value", "a@b"}}}},
                          {"displayName", "Ann"},
                          {"nickName", "An"},
                          {"orgId", "O1"},
                          {"roles", {"R1"}},
                          {"licenses", {"L1"}},
                          {"created", "2024-01-01T00:00:00.000Z"},
                          {"lastModified", "2024-01-02T00:00:00.000Z"},
                          {"status", "active"},
                          {"type", "person"},
                          {"invitePending", false},
                          {"loginEnabled", true},
                          {"addresses", {{{"type", "work"}, {"locality", "Milpitas"}}}},
                          {"phoneNumbers", {{{"type", "work"}, {"value", "+1 408"}}}}};
    api.then(page(json::array({fetched}))).then(ok(fetched));
    EXPECT_EQ(
        check_bodies(people_update_action(),
                     {"email", "displayName", "firstName", "lastName", "phoneNumber", "extension",
                      "locationId", "department", "title", "manager", "managerId"},
                     {"ann@example.com", "Ann Lee", "Ann", "Lee", "+14085550100", "133", "LOC1",
                      "Sales", "GM", "Bob", "P0"},
                     api),
        1u);
}

TEST(RequestSchemas, LicensesMembershipsTeamsAndMessages) {
    ScriptedApi licenses;
    licenses.then(ok({{"licenses", {"L1"}}}));
    EXPECT_EQ(check_bodies(licenses_assign_action(), {"email", "add", "remove"},
                           {"ann@example.com", "L1", "L2|L3"}, licenses),
              1u);
    ScriptedApi membership;
    membership.then(ok({{"id", "M1"}}));
    EXPECT_EQ(check_bodies(memberships_create_action(), {"roomId", "personEmail", "isModerator"},
                           {"R1", "ann@example.com", "true"}, membership),
              1u);
    ScriptedApi team;
    team.then(ok({{"id", "TM1"}}));
    EXPECT_EQ(
        check_bodies(team_memberships_create_action(), {"teamId", "personEmail", "isModerator"},
                     {"T1", "ann@example.com", "0"}, team),
        1u);
    ScriptedApi room_message;
    room_message.then(ok({{"id", "MSG1"}}));
    EXPECT_EQ(check_bodies(messages_create_action(), {"roomId", "text", "markdown", "parentId"},
                           {"R1", "hi", "**hi**", "MSG0"}, room_message),
              1u);
    ScriptedApi direct_message;
    direct_message.then(ok({{"id", "MSG2"}}));
    EXPECT_EQ(check_bodies(messages_create_action(), {"toPersonEmail", "markdown"},
                           {"ann@example.com", "*hello*"}, direct_message),
              1u);
}

}  // namespace
}  // namespace wxbatch::actions
