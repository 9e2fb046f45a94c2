// people.create, people.update, people.delete (SPEC §4; request shapes from webex-admin.json:
// POST /people, PUT /people/{personId}, DELETE /people/{personId}).

#include <array>
#include <utility>

#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/actions/lookup.hpp"
#include "wxbatch/actions/mutation.hpp"
#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;
using webex::HttpMethod;

// CSV columns copied as they are into a string property of the person.
constexpr std::array<const char*, 9> k_string_fields = {"displayName", "firstName",  "lastName",
                                                        "extension",   "locationId", "department",
                                                        "title",       "manager",    "managerId"};

// Webex Calling columns: with any of them the request carries callingData=true.
constexpr std::array<const char*, 3> k_calling_fields = {"phoneNumber", "extension", "locationId"};

// The properties PUT /people/{personId} accepts; everything else of a fetched person is dropped.
constexpr std::array<const char*, 19> k_put_properties = {
    "emails",    "phoneNumbers", "extension", "locationId", "displayName", "firstName",  "lastName",
    "nickName",  "avatar",       "orgId",     "roles",      "licenses",    "department", "manager",
    "managerId", "title",        "addresses", "siteUrls",   "loginEnabled"};

ColumnSpec email_column() {
    return {"email",
            {"User ID/Email (Required)", "User ID/Email", "Email", "Email Address", "emails"},
            ColumnRole::Critical,
            "",
            "the person's primary email address",
            "john.andersen@example.com"};
}

std::vector<ColumnSpec> person_columns(ColumnRole name_role) {
    const std::string group = name_role == ColumnRole::Critical ? "name" : "";
    return {
        email_column(),
        {"displayName", {"Display Name"}, name_role, group, "full name", "John Andersen"},
        {"firstName", {"First Name"}, name_role, group, "first name", "John"},
        {"lastName", {"Last Name"}, name_role, group, "last name", "Andersen"},
        {"phoneNumber",
         {"Phone Number", "Work Phone"},
         ColumnRole::Optional,
         "",
         "work phone number (Webex Calling)",
         "+14085267209"},
        {"extension", {"Extension"}, ColumnRole::Optional, "", "extension (Webex Calling)", "133"},
        {"locationId",
         {"Location ID", "Location"},
         ColumnRole::Optional,
         "",
         "Webex Calling location id (an id, not a location name)",
         ""},
        {"department", {"Department"}, ColumnRole::Optional, "", "department", "Sales"},
        {"title", {"Job Title", "Title"}, ColumnRole::Optional, "", "job title", "GM"},
        {"manager", {"Manager"}, ColumnRole::Optional, "", "manager's name", ""},
        {"managerId", {"Manager ID"}, ColumnRole::Optional, "", "manager's person id", ""},
    };
}

bool has_calling_data(const std::vector<ColumnSpec>& columns, const csv::RowRecord& row,
                      const ColumnMap& map) {
    for (const char* field : k_calling_fields) {
        if (!map.get(columns, row, field).empty()) {
            return true;
        }
    }
    return false;
}

// Writes the row's non-empty person columns over `person`. A phone number replaces the work
// number and keeps numbers of other types.
void apply_columns(const std::vector<ColumnSpec>& columns, const csv::RowRecord& row,
                   const ColumnMap& map, json& person) {
    for (const char* field : k_string_fields) {
        if (std::string value = map.get(columns, row, field); !value.empty()) {
            person[field] = std::move(value);
        }
    }
    const std::string phone = map.get(columns, row, "phoneNumber");
    if (!phone.empty()) {
        json numbers = json::array();
        if (person.contains("phoneNumbers") && person["phoneNumbers"].is_array()) {
            for (const json& number : person["phoneNumbers"]) {
                if (!(number.is_object() && number.value("type", "") == "work")) {
                    numbers.push_back(number);
                }
            }
        }
        numbers.push_back({{"type", "work"}, {"value", phone}});
        person["phoneNumbers"] = std::move(numbers);
    }
}

Verifier person_exists(webex::ApiCaller& api, const std::string& email, bool expected) {
    return [&api, email, expected]() -> Expected<bool, webex::ApiResult> {
        auto found = find_person(api, email);
        if (!found) {
            return unexpected(std::move(found).error());
        }
        return found->has_value() == expected;
    };
}

class PeopleCreate final : public Action {
  public:
    std::string_view name() const override { return "people.create"; }
    std::string_view description() const override {
        return "Create users (POST /people); an existing email counts as already done";
    }
    std::vector<std::string> scopes() const override {
        return {"spark-admin:people_write", "spark-admin:people_read"};
    }
    const std::vector<ColumnSpec>& columns() const override { return m_columns; }
    bool verifiable() const override { return true; }
    std::vector<std::string_view> key_columns() const override { return {"email"}; }

    std::optional<ValidationError> validate(const csv::RowRecord& row,
                                            const ColumnMap& map) const override {
        if (auto error = validate_common(m_columns, row, map)) {
            return error;
        }
        for (const std::string& id : split_ids(map.get(m_columns, row, "licenses"))) {
            if (id.find_first_of(" \t,") != std::string::npos) {
                return ValidationError{"licenses",
                                       "license id '" + id + "' contains a space or comma"};
            }
        }
        return check_email(m_columns, row, map, "email");
    }

    RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map, webex::ApiCaller& api,
                       const ExecOptions& options) const override {
        const std::string email = map.get(m_columns, row, "email");
        json body = {{"emails", json::array({email})}};
        apply_columns(m_columns, row, map, body);
        if (const auto licenses = split_ids(map.get(m_columns, row, "licenses"));
            !licenses.empty()) {
            body["licenses"] = licenses;
        }
        const bool calling = has_calling_data(m_columns, row, map);
        MutationPlan plan;
        plan.request =
            mutation_request(HttpMethod::Post, "/people", "POST /people", std::move(body));
        if (calling) {
            plan.request.query.emplace_back("callingData", "true");
        }
        plan.conflict_is_done = true;
        plan.bad_request_is_ambiguous = calling;
        plan.verify = person_exists(api, email, true);
        return execute_mutation(api, plan, options);
    }

  private:
    std::vector<ColumnSpec> m_columns = [] {
        auto columns = person_columns(ColumnRole::Critical);
        columns.push_back({"licenses",
                           {"License IDs", "Licenses"},
                           ColumnRole::Optional,
                           "",
                           "license ids separated by ';' or '|'",
                           ""});
        return columns;
    }();
};

// The fetched person reduced to what PUT accepts, with the row's columns written over it.
Expected<json, std::string> updated_person(const json& fetched,
                                           const std::vector<ColumnSpec>& columns,
                                           const csv::RowRecord& row, const ColumnMap& map) {
    json person = json::object();
    for (const char* property : k_put_properties) {
        if (fetched.contains(property)) {
            person[property] = fetched[property];
        }
    }
    apply_columns(columns, row, map, person);
    if (!person.contains("displayName") || !person["displayName"].is_string() ||
        person["displayName"].get<std::string>().empty()) {
        const std::string composed =
            trim(person.value("firstName", "") + " " + person.value("lastName", ""));
        if (composed.empty()) {
            return unexpected(std::string(
                "the person has no displayName and the row gives none (PUT requires it)"));
        }
        person["displayName"] = composed;
    }
    return person;
}

class PeopleUpdate final : public Action {
  public:
    std::string_view name() const override { return "people.update"; }
    std::string_view description() const override {
        return "Update users: read the person, overwrite the row's non-empty columns, PUT it back";
    }
    std::vector<std::string> scopes() const override {
        return {"spark-admin:people_write", "spark-admin:people_read"};
    }
    const std::vector<ColumnSpec>& columns() const override { return m_columns; }
    bool verifiable() const override { return true; }
    std::vector<std::string_view> key_columns() const override { return {"email"}; }

    std::optional<ValidationError> validate(const csv::RowRecord& row,
                                            const ColumnMap& map) const override {
        if (auto error = validate_common(m_columns, row, map)) {
            return error;
        }
        if (auto error = check_email(m_columns, row, map, "email")) {
            return error;
        }
        for (std::size_t i = 1; i < m_columns.size(); ++i) {
            if (!map.get(m_columns, row, m_columns[i].name).empty()) {
                return std::nullopt;
            }
        }
        return ValidationError{"", "nothing to update: every column but email is empty"};
    }

    RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map, webex::ApiCaller& api,
                       const ExecOptions& options) const override {
        const std::string email = map.get(m_columns, row, "email");
        const bool calling = has_calling_data(m_columns, row, map);
        auto found = find_person(api, email, calling);
        if (!found) {
            return failure_outcome(found.error());
        }
        if (!found->has_value()) {
            return row_error(webex::ErrorClass::RowErrorNonRetryable,
                             "no person with email " + email);
        }
        const json& fetched = **found;
        auto person = updated_person(fetched, m_columns, row, map);
        if (!person) {
            return row_error(webex::ErrorClass::RowErrorNonRetryable, person.error());
        }
        MutationPlan plan;
        plan.request = mutation_request(HttpMethod::Put, "/people/" + fetched.value("id", ""),
                                        "PUT /people/{id}", std::move(person).value());
        if (calling) {
            plan.request.query.emplace_back("callingData", "true");
        }
        plan.idempotent = true;  // a full replace: sending it twice changes nothing
        return execute_mutation(api, plan, options);
    }

  private:
    std::vector<ColumnSpec> m_columns = person_columns(ColumnRole::Optional);
};

class PeopleDelete final : public Action {
  public:
    std::string_view name() const override { return "people.delete"; }
    std::string_view description() const override {
        return "Delete users by email; a person not found counts as already done";
    }
    std::vector<std::string> scopes() const override {
        return {"spark-admin:people_write", "spark-admin:people_read"};
    }
    const std::vector<ColumnSpec>& columns() const override { return m_columns; }
    bool verifiable() const override { return true; }
    std::vector<std::string_view> key_columns() const override { return {"email"}; }

    std::optional<ValidationError> validate(const csv::RowRecord& row,
                                            const ColumnMap& map) const override {
        if (auto error = validate_common(m_columns, row, map)) {
            return error;
        }
        return check_email(m_columns, row, map, "email");
    }

    RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map, webex::ApiCaller& api,
                       const ExecOptions& /*options*/) const override {
        const std::string email = map.get(m_columns, row, "email");
        auto found = find_person(api, email);
        if (!found) {
            return failure_outcome(found.error());
        }
        if (!found->has_value()) {
            return outcome_from(RowStatus::AlreadyDone, webex::ApiResult{},
                                "no person with email " + email);
        }
        MutationPlan plan;
        plan.request = mutation_request(HttpMethod::Delete, "/people/" + (**found).value("id", ""),
                                        "DELETE /people/{id}", std::nullopt);
        plan.not_found_is_done = true;
        plan.verify = person_exists(api, email, false);
        // The lookup above is the verification: the first DELETE goes out without another.
        return execute_mutation(api, plan, ExecOptions{});
    }

  private:
    std::vector<ColumnSpec> m_columns = {email_column()};
};

}  // namespace

const Action& people_create_action() {
    static const PeopleCreate k_action;
    return k_action;
}

const Action& people_update_action() {
    static const PeopleUpdate k_action;
    return k_action;
}

const Action& people_delete_action() {
    static const PeopleDelete k_action;
    return k_action;
}

}  // namespace wxbatch::actions
