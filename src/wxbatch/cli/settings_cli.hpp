#pragma once
// The run settings as command-line flags and as a TOML config file (SPEC §2). The config is
// read first; flags given on the command line override it. Unknown keys and wrong types in the
// config are usage errors naming the file, line and column.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "wxbatch/engine/run_options.hpp"

namespace wxbatch::cli {

// Flag values as parsed; nullopt = not given on the command line.
struct SettingFlags {
    std::optional<std::string> config;
    std::optional<std::string> input, action, out, base_url, retry_profile, token_file,
        token_command, progress, delimiter;
    std::optional<std::size_t> batch_size;
    std::optional<int> max_inflight_batches, max_inflight_requests, retry_max_attempts, breaker_window,
        breaker_half_open_probes, breaker_max_open_cycles;
    std::optional<double> request_timeout, retry_base_delay, retry_max_delay, retry_max_total,
        retry_after_cap, breaker_failure_threshold, breaker_open_seconds, breaker_max_open_seconds,
        max_row_error_rate, progress_interval, pacing_initial_rate;
    std::optional<std::uint64_t> min_rows_for_error_rate;
    bool resume = false;
    bool resend_ambiguous = false;
    bool no_pacing = false;
    bool quiet = false;
    int verbose = 0;
    // Operator output: diagnostics format and file, PII masking (on unless --no-redact-pii).
    std::string log_format = "text";
    std::optional<std::string> log_file;
    bool redact_pii = true;
};

// Adds the run flags to `cmd` (all of them for `run`; `validate` and `policy` use subsets).
void add_job_flags(CLI::App& cmd, SettingFlags& flags);
void add_resilience_flags(CLI::App& cmd, SettingFlags& flags);
void add_operator_flags(CLI::App& cmd, SettingFlags& flags);

// Builds the effective options: defaults, then the config file, then the flags.
engine::RunOptions resolve_options(const SettingFlags& flags);

// Replaces the process logger (report/log.hpp) with one set by --log-format, --log-file, -q,
// -v and --[no-]redact-pii, writing to stderr. Throws UsageError when the log file cannot be
// opened.
void configure_logging(const SettingFlags& flags);

// Applies a TOML config file to `options`; throws UsageError on a bad file.
void apply_config_file(const std::string& path, engine::RunOptions& options);

}  // namespace wxbatch::cli
