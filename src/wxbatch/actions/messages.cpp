// messages.create: POST /messages {roomId or toPersonEmail; text and/or markdown; parentId?}
// (webex-messaging.json). Not idempotent and not verifiable: an ambiguous outcome is recorded
// as OUTCOME_UNKNOWN unless the operator opts in to resending.

#include <utility>

#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/actions/mutation.hpp"
#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

using nlohmann::json;

// "The maximum message length is 7439 bytes" (text and markdown, POST /messages).
constexpr std::size_t k_max_message_bytes = 7439;

class MessagesCreate final : public Action {
  public:
    std::string_view name() const override { return "messages.create"; }
    std::string_view description() const override {
        return "Post messages to rooms or people (POST /messages); not idempotent";
    }
    std::vector<std::string> scopes() const override { return {"spark:messages_write"}; }
    const std::vector<ColumnSpec>& columns() const override { return m_columns; }
    bool verifiable() const override { return false; }
    std::vector<std::string_view> key_columns() const override { return {"roomId", "toPersonEmail"}; }

    std::optional<ValidationError> validate(const csv::RowRecord& row,
                                            const ColumnMap& map) const override {
        if (auto error = validate_common(m_columns, row, map)) {
            return error;
        }
        if (!map.get(m_columns, row, "roomId").empty() &&
            !map.get(m_columns, row, "toPersonEmail").empty()) {
            return ValidationError{"toPersonEmail", "give roomId or toPersonEmail, not both"};
        }
        if (auto error = check_email(m_columns, row, map, "toPersonEmail")) {
            return error;
        }
        if (auto error = check_max_bytes(m_columns, row, map, "text", k_max_message_bytes)) {
            return error;
        }
        return check_max_bytes(m_columns, row, map, "markdown", k_max_message_bytes);
    }

    RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map, webex::ApiCaller& api,
                       const ExecOptions& options) const override {
        json body = json::object();
        for (const char* field : {"roomId", "toPersonEmail", "parentId", "text", "markdown"}) {
            if (std::string value = map.get(m_columns, row, field); !value.empty()) {
                body[field] = std::move(value);
            }
        }
        MutationPlan plan;
        plan.request = mutation_request(webex::HttpMethod::Post, "/messages", "POST /messages",
                                        std::move(body));
        return execute_mutation(api, plan, options);
    }

  private:
    std::vector<ColumnSpec> m_columns = {
        {"roomId",
         {"Room ID", "Space ID", "spaceId"},
         ColumnRole::Critical,
         "target",
         "the room to post to",
         "Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQ"},
        {"toPersonEmail",
         {"To Person Email", "To", "Recipient Email"},
         ColumnRole::Critical,
         "target",
         "a person to message directly (instead of roomId)",
         ""},
        {"text",
         {"Text", "Message"},
         ColumnRole::Critical,
         "content",
         "plain text, up to 7439 bytes",
         "Welcome to the team!"},
        {"markdown",
         {"Markdown"},
         ColumnRole::Critical,
         "content",
         "Markdown text, up to 7439 bytes",
         ""},
        {"parentId", {"Parent ID"}, ColumnRole::Optional, "", "reply in this thread", ""}};
};

}  // namespace

const Action& messages_create_action() {
    static const MessagesCreate k_action;
    return k_action;
}

}  // namespace wxbatch::actions
