#include "wxbatch/cli/settings_cli.hpp"

#include <unistd.h>

#include <iostream>

#include "wxbatch/report/log.hpp"
#include "wxbatch/resilience/retry_policy.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

void add_job_flags(CLI::App& cmd, SettingFlags& f) {
    cmd.add_option("--input", f.input, "UTF-8 CSV file, header row first");
    cmd.add_option("--action", f.action, "what to do with each row (see `wxbatch actions`)");
    cmd.add_option("--out", f.out,
                   "directory for checkpoint.json, run_summary.json, row_errors.csv");
    cmd.add_option("--config", f.config, "TOML file with any of these settings; flags override it");
    cmd.add_option("--delimiter", f.delimiter,
                   "field delimiter (default ','; ';' for some Excel locales)");
}

void add_resilience_flags(CLI::App& cmd, SettingFlags& f) {
    cmd.add_option("--retry-profile", f.retry_profile, "aggressive | normal | conservative");
    cmd.add_option("--request-timeout", f.request_timeout, "seconds per HTTP request");
    cmd.add_option("--retry-max-attempts", f.retry_max_attempts, "attempts per request");
    cmd.add_option("--retry-base-delay", f.retry_base_delay, "backoff base, seconds");
    cmd.add_option("--retry-max-delay", f.retry_max_delay, "longest single backoff wait, seconds");
    cmd.add_option("--retry-max-total", f.retry_max_total,
                   "longest total retry time per row, seconds");
    cmd.add_option("--retry-after-cap", f.retry_after_cap,
                   "Retry-After values above this are clamped");
    cmd.add_option("--breaker-window", f.breaker_window, "calls in the breaker's window");
    cmd.add_option("--breaker-failure-threshold", f.breaker_failure_threshold,
                   "failure share that opens it (0..1)");
    cmd.add_option("--breaker-open-seconds", f.breaker_open_seconds, "seconds open before probing");
    cmd.add_option("--breaker-half-open-probes", f.breaker_half_open_probes,
                   "probe calls when half-open");
    cmd.add_option("--breaker-max-open-cycles", f.breaker_max_open_cycles,
                   "consecutive open cycles before FAILED_SYSTEMIC (0 = no bound)");
    cmd.add_option("--breaker-max-open-seconds", f.breaker_max_open_seconds,
                   "total seconds open before FAILED_SYSTEMIC");
    cmd.add_option("--pacing-initial-rate", f.pacing_initial_rate,
                   "start paced at this many requests/s instead of unlimited (still learns)");
    cmd.add_flag("--no-pacing", f.no_pacing,
                 "no client-side pacing: only the 429 pauses (Retry-After) slow the run");
}

void add_operator_flags(CLI::App& cmd, SettingFlags& f) {
    cmd.add_option("--progress", f.progress, "auto | always | never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    cmd.add_option("--progress-interval", f.progress_interval,
                   "seconds between progress lines off a TTY");
    cmd.add_flag("-q,--quiet", f.quiet, "only the summary and errors");
    cmd.add_flag("-v,--verbose", f.verbose, "more detail (repeatable)");
    cmd.add_option("--log-format", f.log_format, "diagnostics on stderr: text | json (JSON lines)")
        ->check(CLI::IsMember({"text", "json"}));
    cmd.add_option("--log-file", f.log_file, "also append the diagnostics to FILE");
    cmd.add_flag("--redact-pii,!--no-redact-pii", f.redact_pii,
                 "mask e-mail addresses in diagnostics (default on)");
}

void configure_logging(const SettingFlags& f) {
    report::LogSettings settings;
    settings.format = f.log_format == "json" ? report::LogFormat::Json : report::LogFormat::Text;
    settings.min_level = report::level_for(f.quiet, f.verbose);
    settings.redact_pii = f.redact_pii;
    try {
        // On a terminal each record first clears the progress line it would otherwise run into.
        report::set_process_logger(std::make_unique<report::Logger>(
            settings, &std::cerr, ::isatty(STDERR_FILENO) == 1, f.log_file.value_or("")));
    } catch (const std::runtime_error& e) {
        throw UsageError(std::string(e.what()) + " (--log-file)");
    }
}

namespace {

template <class T, class U>
void set_if(const std::optional<T>& flag, U& target) {
    if (flag) {
        target = static_cast<U>(*flag);
    }
}

void validate(const engine::RunOptions& o) {
    if (o.batch_size < 1 || o.batch_size > 10000) {
        throw UsageError("--batch-size must be between 1 and 10000 (got " +
                         std::to_string(o.batch_size) + ")");
    }
    if (o.max_inflight_batches < 1 || o.max_inflight_batches > 64) {
        throw UsageError("--max-inflight-batches must be between 1 and 64");
    }
    if (o.max_inflight_requests != 0 &&
        (o.max_inflight_requests < o.max_inflight_batches || o.max_inflight_requests > 256)) {
        throw UsageError("--max-inflight-requests must be between --max-inflight-batches (" +
                         std::to_string(o.max_inflight_batches) + ") and 256");
    }
    if (!(o.resilience.pacing.initial_rate >= 0) || o.resilience.pacing.initial_rate > 1e6) {
        throw UsageError("--pacing-initial-rate must be between 0 (unlimited) and 1000000");
    }
    if (o.resilience.retry.max_attempts < 1) {
        throw UsageError("--retry-max-attempts must be at least 1");
    }
    if (o.resilience.request_timeout_s <= 0) {
        throw UsageError("--request-timeout must be positive");
    }
    if (o.resilience.breaker.failure_threshold <= 0 || o.resilience.breaker.failure_threshold > 1) {
        throw UsageError("--breaker-failure-threshold must be in (0, 1]");
    }
    if (o.max_row_error_rate < 0 || o.max_row_error_rate > 1) {
        throw UsageError("--max-row-error-rate must be in [0, 1]");
    }
}

}  // namespace

engine::RunOptions resolve_options(const SettingFlags& f) {
    engine::RunOptions o;
    o.resilience.retry = resilience::retry_profile("normal");
    if (const char* env = std::getenv("WEBEX_BASE_URL"); env != nullptr && *env != '\0') {
        o.base_url = env;
    }
    if (f.config) {
        apply_config_file(*f.config, o);
    }
    set_if(f.input, o.input);
    set_if(f.action, o.action);
    set_if(f.out, o.out_dir);
    set_if(f.base_url, o.base_url);
    if (f.retry_profile) {
        o.resilience.retry = resilience::retry_profile(*f.retry_profile);
    }
    set_if(f.token_file, o.token_file);
    set_if(f.token_command, o.token_command);
    set_if(f.progress, o.progress);
    set_if(f.progress_interval, o.progress_interval_s);
    if (f.delimiter) {
        if (f.delimiter->size() != 1) {
            throw UsageError("--delimiter must be one character (e.g. ';')");
        }
        o.delimiter = (*f.delimiter)[0];
    }
    set_if(f.batch_size, o.batch_size);
    set_if(f.max_inflight_batches, o.max_inflight_batches);
    set_if(f.max_inflight_requests, o.max_inflight_requests);
    set_if(f.request_timeout, o.resilience.request_timeout_s);
    set_if(f.retry_max_attempts, o.resilience.retry.max_attempts);
    set_if(f.retry_base_delay, o.resilience.retry.base_delay_s);
    set_if(f.retry_max_delay, o.resilience.retry.max_delay_s);
    set_if(f.retry_max_total, o.resilience.retry.max_total_s);
    set_if(f.retry_after_cap, o.resilience.retry_after_cap_s);
    if (f.breaker_window) {
        o.resilience.breaker.window = *f.breaker_window;
        o.resilience.breaker.minimum_calls = *f.breaker_window;
    }
    set_if(f.breaker_failure_threshold, o.resilience.breaker.failure_threshold);
    set_if(f.breaker_open_seconds, o.resilience.breaker.open_s);
    set_if(f.breaker_half_open_probes, o.resilience.breaker.half_open_probes);
    set_if(f.breaker_max_open_cycles, o.resilience.breaker.max_open_cycles);
    set_if(f.breaker_max_open_seconds, o.resilience.breaker.max_open_total_s);
    set_if(f.max_row_error_rate, o.max_row_error_rate);
    set_if(f.min_rows_for_error_rate, o.min_rows_for_error_rate);
    set_if(f.pacing_initial_rate, o.resilience.pacing.initial_rate);
    if (f.no_pacing) {
        o.resilience.pacing.enabled = false;
    }
    o.resume = o.resume || f.resume;
    o.resend_ambiguous = o.resend_ambiguous || f.resend_ambiguous;
    o.quiet = f.quiet;
    o.verbosity = f.verbose;
    validate(o);
    return o;
}

}  // namespace wxbatch::cli
