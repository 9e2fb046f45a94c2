#pragma once
// The effective resilience settings and what they imply, as `wxbatch policy` prints them:
// per attempt, the bounds of the wait that follows it and the cumulative worst case.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wxbatch/resilience/circuit_breaker.hpp"
#include "wxbatch/resilience/rate_governor.hpp"
#include "wxbatch/resilience/retry_policy.hpp"

namespace wxbatch::resilience {

struct ResilienceSettings {
    RetrySettings retry;
    BreakerSettings breaker;
    RateLimitBudget rate_limit;
    PacingSettings pacing;
    double retry_after_cap_s = 300;
    double request_timeout_s = 30;
    int forbidden_rows_systemic = 5;
};

// One line of the wait table: the wait after attempt `attempt` failed (none after the last).
struct AttemptWaitBounds {
    int attempt = 0;
    bool gives_up = false;  // the last attempt: no wait, the row is exhausted
    double min_s = 0;
    double max_s = 0;
    double cumulative_max_s = 0;  // worst-case total backoff up to and including this wait
};

// Rows for attempts 1..retry.max_attempts. Throws UsageError on invalid retry settings.
std::vector<AttemptWaitBounds> wait_table(const RetrySettings& retry);

// Human-readable report: settings, then the wait table and the worst case for one row.
std::string render_policy_text(const ResilienceSettings& settings);

// {"retry": {...}, "breaker": {...}, "rate_limit": {...}, "pacing": {...}, "retry_after_cap_s",
//  "request_timeout_s", "forbidden_rows_systemic", "waits": [{"attempt", "min_s", "max_s",
//  "cumulative_max_s"} | {"attempt", "gives_up": true}], "worst_case_row_s"}
nlohmann::json policy_json(const ResilienceSettings& settings);

}  // namespace wxbatch::resilience
