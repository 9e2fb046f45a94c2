// licenses.assign: PATCH /licenses/users {email, licenses:[{id, operation}]} (webex-admin.json).
// 206 Partial Content is a row error naming the licenses that were not applied.

#include <algorithm>
#include <utility>

#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/actions/mutation.hpp"
#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

// The 206 answer lists the licenses the user holds now: an add missing from it or a remove
// still in it was not applied.
RowOutcome partial_outcome(const webex::ApiResult& result, const std::vector<std::string>& add,
                           const std::vector<std::string>& remove) {
    std::vector<std::string> held;
    if (result.body().is_object() && result.body().contains("licenses") &&
        result.body()["licenses"].is_array()) {
        for (const json& id : result.body()["licenses"]) {
            if (id.is_string()) {
                held.push_back(id.get<std::string>());
            }
        }
    }
    std::vector<std::string> not_added;
    std::vector<std::string> not_removed;
    for (const std::string& id : add) {
        if (!contains(held, id)) {
            not_added.push_back(id);
        }
    }
    for (const std::string& id : remove) {
        if (contains(held, id)) {
            not_removed.push_back(id);
        }
    }
    std::string message = "partially applied (HTTP 206)";
    if (!not_added.empty()) {
        message += "; not added: " + join(not_added);
    }
    if (!not_removed.empty()) {
        message += "; not removed: " + join(not_removed);
    }
    RowOutcome out = outcome_from(RowStatus::RowError, result, message);
    out.error_class = webex::ErrorClass::RowErrorNonRetryable;
    return out;
}

class LicensesAssign final : public Action {
  public:
    std::string_view name() const override { return "licenses.assign"; }
    std::string_view description() const override {
        return "Add and remove licenses of existing users (PATCH /licenses/users)";
    }
    std::vector<std::string> scopes() const override {
        return {"spark-admin:licenses_write", "spark-admin:people_write"};
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
        const auto add = split_ids(map.get(m_columns, row, "add"));
        const auto remove = split_ids(map.get(m_columns, row, "remove"));
        if (add.empty() && remove.empty()) {
            return ValidationError{"add", "no license id in add or remove"};
        }
        for (const std::string& id : add) {
            if (contains(remove, id)) {
                return ValidationError{"remove",
                                       "license id '" + id + "' is both added and removed"};
            }
        }
        return std::nullopt;
    }

    RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map, webex::ApiCaller& api,
                       const ExecOptions& options) const override {
        const auto add = split_ids(map.get(m_columns, row, "add"));
        const auto remove = split_ids(map.get(m_columns, row, "remove"));
        json licenses = json::array();
        for (const std::string& id : add) {
            licenses.push_back({{"id", id}, {"operation", "add"}});
        }
        for (const std::string& id : remove) {
            licenses.push_back({{"id", id}, {"operation", "remove"}});
        }
        json body = {{"email", map.get(m_columns, row, "email")},
                     {"licenses", std::move(licenses)}};
        MutationPlan plan;
        plan.request = mutation_request(webex::HttpMethod::Patch, "/licenses/users",
                                        "PATCH /licenses/users", std::move(body));
        plan.idempotent = true;  // adding a held license or removing an absent one changes nothing
        plan.on_ok = [add, remove](const webex::ApiResult& result) {
            return result.http_status == 206 ? partial_outcome(result, add, remove)
                                             : outcome_from(RowStatus::Success, result, "");
        };
        return execute_mutation(api, plan, options);
    }

  private:
    std::vector<ColumnSpec> m_columns = {
        {"email",
         {"User ID/Email (Required)", "User ID/Email", "Email", "Email Address"},
         ColumnRole::Critical,
         "",
         "the user's email address",
         "john.andersen@example.com"},
        {"add",
         {"Add Licenses", "addLicenses", "licenses"},
         ColumnRole::Critical,
         "change",
         "license ids to assign, separated by ';' or '|'",
         "Y2lzY29zcGFyazovL3VzL0xJQ0VOU0UvMQ"},
        {"remove",
         {"Remove Licenses", "removeLicenses"},
         ColumnRole::Critical,
         "change",
         "license ids to remove, separated by ';' or '|'",
         ""},
    };
};

}  // namespace

const Action& licenses_assign_action() {
    static const LicensesAssign k_action;
    return k_action;
}

}  // namespace wxbatch::actions
