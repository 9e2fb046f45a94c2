#pragma once
// The command-line front: parses argv, dispatches to a command, maps errors to exit codes.

namespace wxbatch::cli {

// Exit codes (SPEC §3).
inline constexpr int k_exit_completed = 0;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_row_errors = 3;
inline constexpr int k_exit_systemic = 4;
inline constexpr int k_exit_aborted = 5;

int run_main(int argc, char** argv);

}  // namespace wxbatch::cli
