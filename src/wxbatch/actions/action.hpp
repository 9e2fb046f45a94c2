#pragma once
// The Action Mapper contract: what an action needs from the CSV, how it validates a row
// without the network, and how it executes a row through an ApiCaller (SPEC §4).
// One file per Webex resource implements it; the registry lists them by name.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wxbatch/csv/row_record.hpp"
#include "wxbatch/util/expected.hpp"
#include "wxbatch/webex/api.hpp"

namespace wxbatch::actions {

enum class ColumnRole {
    Critical,  // must be present in the header (or one of its group, see `group`)
    Optional,
};

struct ColumnSpec {
    std::string name;                  // canonical name, e.g. "email"
    std::vector<std::string> aliases;  // other accepted headers (Control Hub's), case-insensitive
    ColumnRole role = ColumnRole::Optional;
    // Critical columns with the same non-empty group are alternatives: one of them must be present
    // (e.g. people.create needs one of displayName/firstName/lastName).
    std::string group;
    std::string description;
    std::string example;
};

// Where each of the action's columns sits in the CSV header (index into RowRecord::fields).
struct ColumnMap {
    std::vector<std::optional<std::size_t>> index;  // parallel to Action::columns()
    std::vector<std::string> header;                // the CSV header as read

    // The trimmed value of column `name` in `row`, or empty when the column is absent.
    std::string get(const std::vector<ColumnSpec>& columns, const csv::RowRecord& row,
                    std::string_view name) const;
};

// A row that cannot be sent as it is (bad email, missing value): recorded, no request made.
struct ValidationError {
    std::string field;    // the column at fault ("" when the row as a whole)
    std::string message;
};

enum class RowStatus {
    Success,      // applied now
    AlreadyDone,  // the already-done signal: found applied (idempotency), counted apart
    RowError,     // failed for this row; see error_class
    NotDone,      // not finished because the run is stopping: to be executed on --resume
};

const char* to_string(RowStatus s);

struct RowOutcome {
    RowStatus status = RowStatus::Success;
    webex::ErrorClass error_class = webex::ErrorClass::RowErrorNonRetryable;
    int http_status = 0;
    std::string message;
    std::string tracking_id;
};

struct ExecOptions {
    // The row may already have been applied (it was in flight when a previous run crashed):
    // actions with a lookup verify before sending a mutation.
    bool verify_first = false;
    // messages.create: resend after an ambiguous outcome instead of recording OUTCOME_UNKNOWN.
    bool resend_ambiguous = false;
};

class Action {
public:
    virtual ~Action() = default;
    virtual std::string_view name() const = 0;         // e.g. "people.create"
    virtual std::string_view description() const = 0;  // one line
    virtual std::vector<std::string> scopes() const = 0;  // token scopes needed
    virtual const std::vector<ColumnSpec>& columns() const = 0;
    // True when a lookup can tell whether a mutation was applied (false for messages.create).
    virtual bool verifiable() const = 0;
    // The columns that name what a row acts on (a person, a membership, a conversation). Rows
    // with the same values there are never in flight together and run in input order.
    virtual std::vector<std::string_view> key_columns() const = 0;

    // The row's target from key_columns(), case-folded (emails), "\x1f"-joined.
    std::string ordering_key(const csv::RowRecord& row, const ColumnMap& map) const;

    // Matches the CSV header to the columns. The error lists the missing critical columns and
    // the headers that were found, or names two headers that mean the same column.
    Expected<ColumnMap, std::string> bind_header(const std::vector<std::string>& header) const;

    // Row-level validation before anything is sent.
    virtual std::optional<ValidationError> validate(const csv::RowRecord& row,
                                                    const ColumnMap& map) const = 0;

    // Executes a validated row. Never throws for what the server answers.
    virtual RowOutcome execute(const csv::RowRecord& row, const ColumnMap& map,
                               webex::ApiCaller& api, const ExecOptions& options) const = 0;

    // A CSV header line and one example row for `wxbatch actions NAME --template`.
    std::string csv_template() const;
};

// All actions, in a stable order; nullptr when the name is unknown.
std::span<const Action* const> all_actions();
const Action* find_action(std::string_view name);

}  // namespace wxbatch::actions
