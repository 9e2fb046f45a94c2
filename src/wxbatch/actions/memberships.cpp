// memberships.create and memberships.delete (webex-messaging.json: POST /memberships,
// GET /memberships?roomId=&personEmail=, DELETE /memberships/{membershipId}).

#include <utility>

#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/actions/lookup.hpp"
#include "wxbatch/actions/mutation.hpp"
#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;

ColumnSpec room_column() {
    return {"roomId",
            {"Room ID", "Space ID", "spaceId"},
            ColumnRole::Critical,
            "",
            "the room (space) id",
            "Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQ"};
}

ColumnSpec person_email_column() {
    return {"personEmail",
            {"Person Email", "Email", "User ID/Email (Required)", "User ID/Email"},
            ColumnRole::Critical,
            "",
            "the member's email address",
            "john.andersen@example.com"};
}

Verifier membership_exists(webex::ApiCaller& api, std::string room_id, std::string email,
                           bool expected) {
    return [&api, room_id = std::move(room_id), email = std::move(email),
            expected]() -> Expected<bool, webex::ApiResult> {
        auto found = find_membership(api, room_id, email);
        if (!found) {
            return unexpected(std::move(found).error());
        }
        return found->has_value() == expected;
    };
}

class MembershipsCreate final : public Action {
  public:
    std::string_view name() const override { return "memberships.create"; }
    std::string_view description() const override {
        return "Add people to rooms (POST /memberships); 409 counts as already done";
    }
    std::vector<std::string> scopes() const override {
        return {"spark:memberships_write", "spark:memberships_read"};
    }
    const std::vector<ColumnSpec>& columns() const override { return m_columns; }
    bool verifiable() const override { return true; }
    std::vector<std::string_view> key_columns() const override { return {"roomId", "personEmail"}; }

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
        const std::string room_id = map.get(m_columns, row, "roomId");
        const std::string email = map.get(m_columns, row, "personEmail");
        json body = {{"roomId", room_id}, {"personEmail", email}};
        if (const auto moderator = parse_bool(map.get(m_columns, row, "isModerator"))) {
            body["isModerator"] = *moderator;
        }
        MutationPlan plan;
        plan.request = mutation_request(webex::HttpMethod::Post, "/memberships",
                                        "POST /memberships", std::move(body));
        plan.conflict_is_done = true;
        plan.verify = membership_exists(api, room_id, email, true);
        return execute_mutation(api, plan, options);
    }

  private:
    std::vector<ColumnSpec> m_columns = {room_column(),
                                         person_email_column(),
                                         {"isModerator",
                                          {"Moderator", "Is Moderator"},
                                          ColumnRole::Optional,
                                          "",
                                          "true to make the member a moderator",
                                          "false"}};
};

class MembershipsDelete final : public Action {
  public:
    std::string_view name() const override { return "memberships.delete"; }
    std::string_view description() const override {
        return "Remove people from rooms; a membership not found counts as already done";
    }
    std::vector<std::string> scopes() const override {
        return {"spark:memberships_write", "spark:memberships_read"};
    }
    const std::vector<ColumnSpec>& columns() const override { return m_columns; }
    bool verifiable() const override { return true; }
    std::vector<std::string_view> key_columns() const override { return {"roomId", "personEmail"}; }

    std::optional<ValidationError> validate(const csv::RowRecord& row,
                                            const ColumnMap& map) const override {
        if (auto error = validate_common(m_columns, row, map)) {
            return error;
        }
        return check_email(m_columns, row, map, "personEmail");
    }

    RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map, webex::ApiCaller& api,
                       const ExecOptions& /*options*/) const override {
        const std::string room_id = map.get(m_columns, row, "roomId");
        const std::string email = map.get(m_columns, row, "personEmail");
        auto found = find_membership(api, room_id, email);
        if (!found) {
            return failure_outcome(found.error());
        }
        if (!found->has_value()) {
            return outcome_from(RowStatus::AlreadyDone, webex::ApiResult{},
                                "no membership of " + email + " in the room");
        }
        MutationPlan plan;
        plan.request =
            mutation_request(webex::HttpMethod::Delete, "/memberships/" + (**found).value("id", ""),
                             "DELETE /memberships/{id}", std::nullopt);
        plan.not_found_is_done = true;
        plan.verify = membership_exists(api, room_id, email, false);
        // The lookup above is the verification: the first DELETE goes out without another.
        return execute_mutation(api, plan, ExecOptions{});
    }

  private:
    std::vector<ColumnSpec> m_columns = {room_column(), person_email_column()};
};

}  // namespace

const Action& memberships_create_action() {
    static const MembershipsCreate k_action;
    return k_action;
}

const Action& memberships_delete_action() {
    static const MembershipsDelete k_action;
    return k_action;
}

}  // namespace wxbatch::actions
