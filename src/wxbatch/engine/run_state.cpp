#include "wxbatch/engine/run_state.hpp"

#include <array>
#include <utility>

namespace wxbatch::engine {

namespace {
constexpr std::array<std::pair<RunState, const char*>, 6> k_names{{
    {RunState::Pending, "PENDING"},
    {RunState::Running, "RUNNING"},
    {RunState::Completed, "COMPLETED"},
    {RunState::CompletedWithRowErrors, "COMPLETED_WITH_ROW_ERRORS"},
    {RunState::FailedSystemic, "FAILED_SYSTEMIC"},
    {RunState::AbortedByPolicy, "ABORTED_BY_POLICY"},
}};
}  // namespace

const char* to_string(RunState s) {
    for (const auto& [state, name] : k_names) {
        if (state == s) {
            return name;
        }
    }
    return "UNKNOWN";
}

std::optional<RunState> parse_run_state(std::string_view text) {
    for (const auto& [state, name] : k_names) {
        if (text == name) {
            return state;
        }
    }
    return std::nullopt;
}

bool is_resumable(RunState s) {
    return s == RunState::Pending || s == RunState::Running || s == RunState::FailedSystemic ||
           s == RunState::AbortedByPolicy;
}

bool is_final(RunState s) {
    return s == RunState::Completed || s == RunState::CompletedWithRowErrors;
}

int exit_code_for(RunState s) {
    switch (s) {
        case RunState::Completed:
            return 0;
        case RunState::CompletedWithRowErrors:
            return 3;
        case RunState::FailedSystemic:
            return 4;
        case RunState::AbortedByPolicy:
            return 5;
        case RunState::Pending:
        case RunState::Running:
            break;
    }
    return 4;
}

}  // namespace wxbatch::engine
