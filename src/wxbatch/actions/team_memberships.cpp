// teamMemberships.create: POST /team/memberships {teamId, personEmail, isModerator?}
// (webex-messaging.json); verified with GET /team/memberships?teamId= filtered by email.

#include <utility>

#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/actions/lookup.hpp"
#include "wxbatch/actions/mutation.hpp"
#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;

class TeamMembershipsCreate final : public Action {
  public:
    std::string_view name() const override { return "teamMemberships.create"; }
    std::string_view description() const override {
        return "Add people to teams (POST /team/memberships); 409 counts as already done";
    }
    std::vector<std::string> scopes() const override {
        return {"spark:team_memberships_write", "spark:team_memberships_read"};
    }
    const std::vector<ColumnSpec>& columns() const override { return m_columns; }
    bool verifiable() const override { return true; }
    std::vector<std::string_view> key_columns() const override { return {"teamId", "personEmail"}; }

    std::optional<ValidationError> validate(const csv::RowRecord& row,
                                            const ColumnMap& map) const override {
        if (auto error = validate_common(m_columns, row, map)) {
            return error;
        }
        if (auto error = check_email(m_columns, row, map, "personEmail")) {
            return error;
        }
        const std::string moderator = map.get(m_columns, row, "isModerator");
        if (!moderator.empty() && !parse_bool(moderator)) {
            return ValidationError{"isModerator",
                                   "isModerator '" + moderator + "' is not true/false/yes/no/1/0"};
        }
        return std::nullopt;
    }

    RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map, webex::ApiCaller& api,
                       const ExecOptions& options) const override {
        const std::string team_id = map.get(m_columns, row, "teamId");
        const std::string email = map.get(m_columns, row, "personEmail");
        json body = {{"teamId", team_id}, {"personEmail", email}};
        if (const auto moderator = parse_bool(map.get(m_columns, row, "isModerator"))) {
            body["isModerator"] = *moderator;
        }
        MutationPlan plan;
        plan.request = mutation_request(webex::HttpMethod::Post, "/team/memberships",
                                        "POST /team/memberships", std::move(body));
        plan.conflict_is_done = true;
        plan.verify = [&api, team_id, email]() -> Expected<bool, webex::ApiResult> {
            auto found = find_team_membership(api, team_id, email);
            if (!found) {
                return unexpected(std::move(found).error());
            }
            return found->has_value();
        };
        return execute_mutation(api, plan, options);
    }

  private:
    std::vector<ColumnSpec> m_columns = {
        {"teamId",
         {"Team ID"},
         ColumnRole::Critical,
         "",
         "the team id",
         "Y2lzY29zcGFyazovL3VzL1RFQU0vMTNlMThmNDA"},
        {"personEmail",
         {"Person Email", "Email", "User ID/Email (Required)", "User ID/Email"},
         ColumnRole::Critical,
         "",
         "the member's email address",
         "john.andersen@example.com"},
        {"isModerator",
         {"Moderator", "Is Moderator"},
         ColumnRole::Optional,
         "",
         "true to make the member a team moderator",
         "false"}};
};

}  // namespace

const Action& team_memberships_create_action() {
    static const TeamMembershipsCreate k_action;
    return k_action;
}

}  // namespace wxbatch::actions
