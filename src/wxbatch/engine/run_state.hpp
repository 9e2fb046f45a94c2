#pragma once
// The run lifecycle states (SPEC §3) and their exit codes.

#include <optional>
#include <string>
#include <string_view>

namespace wxbatch::engine {

enum class RunState {
    Pending,
    Running,
    Completed,
    CompletedWithRowErrors,
    FailedSystemic,
    AbortedByPolicy,
};

const char* to_string(RunState s);
std::optional<RunState> parse_run_state(std::string_view text);

// True for the two states a run can be resumed from (and RUNNING, left by a crash).
bool is_resumable(RunState s);
bool is_final(RunState s);

// 0 COMPLETED, 3 COMPLETED_WITH_ROW_ERRORS, 4 FAILED_SYSTEMIC, 5 ABORTED_BY_POLICY.
int exit_code_for(RunState s);

}  // namespace wxbatch::engine
