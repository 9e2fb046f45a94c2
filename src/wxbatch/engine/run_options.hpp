#pragma once
// Every setting of a run (SPEC §2), after the config file and the flags are merged.
// Never holds the token itself: only where to get it from.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "wxbatch/resilience/policy_report.hpp"

namespace wxbatch::engine {

struct RunOptions {
    std::string input;
    std::string action;
    std::size_t batch_size = 200;
    int max_inflight_batches = 1;
    // Row requests in flight at once, across the open batches; 0 = max_inflight_batches (one row
    // at a time per batch). Above that, rows of a batch run side by side (rows acting on the
    // same target keep their order) and the number in flight adapts to the learned rate.
    int max_inflight_requests = 0;
    bool resume = false;
    std::string out_dir = "./wxbatch-out";
    std::string base_url = "https://webexapis.com/v1";
    resilience::ResilienceSettings resilience;
    // ABORTED_BY_POLICY when row_errors / processed exceeds this once `min_rows_for_error_rate`
    // rows were processed (1.0 = never).
    double max_row_error_rate = 1.0;
    std::uint64_t min_rows_for_error_rate = 100;
    // messages.create: resend after an ambiguous outcome (may duplicate a message).
    bool resend_ambiguous = false;
    char delimiter = ',';
    // Where the token comes from (besides WEBEX_ACCESS_TOKEN).
    std::optional<std::string> token_file;
    std::optional<std::string> token_command;
    // Operator output.
    std::string progress = "auto";  // auto | always | never
    double progress_interval_s = 5.0;
    bool quiet = false;
    int verbosity = 0;
    // Seconds in-flight rows get to finish after a stop request before they are abandoned.
    double stop_deadline_s = 10.0;
};

// max_inflight_requests with its default applied.
int effective_inflight_requests(const RunOptions& options);

// The effective configuration as recorded in checkpoint.json and run_summary.json (no token).
nlohmann::json to_json(const RunOptions& options);

}  // namespace wxbatch::engine
