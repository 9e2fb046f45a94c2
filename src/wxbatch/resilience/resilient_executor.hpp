#pragma once
// The loop that executes ONE logical request through the whole resilience core (SPEC §5):
// rate governor, circuit breaker, classifier, systemic detector, retry policy, Retry-After.
// One executor may serve many rows and threads: it keeps no per-request state between calls.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wxbatch/resilience/circuit_breaker.hpp"
#include "wxbatch/resilience/error_classifier.hpp"
#include "wxbatch/resilience/rate_governor.hpp"
#include "wxbatch/resilience/resilience_stats.hpp"
#include "wxbatch/resilience/retry_policy.hpp"
#include "wxbatch/resilience/stop_reason.hpp"
#include "wxbatch/resilience/systemic_detector.hpp"
#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

enum class ExecOutcome {
    Success,          // a 2xx answer
    NonRetryable,     // a final answer for this row (4xx other than 423/429, 501 ...)
    Ambiguous,        // a mutation that may have been applied: the action verifies, no resend
    GiveUpExhausted,  // transient failures until the retry (or rate-limit) budget ran out
    Stopped,          // nothing more was sent: see stop_reason
};

const char* to_string(ExecOutcome o);

struct ExecutionResult {
    ExecOutcome outcome = ExecOutcome::Success;
    StopReason stop_reason = StopReason::None;
    int attempts = 0;     // requests actually sent (429 resends included)
    AttemptOutcome last;  // the last attempt's outcome (empty when none was sent)
    Classification last_class;
    double waited_s = 0;  // time held: backoff sleeps, rate-limit pauses, breaker waits
    // The wait decided before each retry after a failure (Retry-After or backoff), in order.
    std::vector<double> retry_waits;
    // The pause requested by each 429 answer (Retry-After or backoff), in order.
    std::vector<double> rate_limit_waits;
    std::string retry_after_problem;  // why the last unusable Retry-After was ignored
};

class ResilientExecutor {
  public:
    ResilientExecutor(RetryPolicy policy, CircuitBreaker& breaker, RateGovernor& governor,
                      SystemicDetector& detector, Clock& clock, Sleeper& sleeper, Random& random,
                      ResilienceStats& stats, Duration retry_after_cap, RateLimitBudget budget);

    // Called on a 401 to re-validate the token (GET /people/me); returns true when that also
    // answered 401. Without it, a 401 is returned as NonRetryable and the caller re-checks.
    void set_token_recheck(std::function<bool()> recheck) { m_recheck = std::move(recheck); }

    // Runs `attempt(n)` (n = 1, 2, ... numbers the requests sent, for the TrackingID) until an
    // outcome is final. Before each send: stop flag, systemic detector, governor.acquire,
    // breaker.allow (while rejected the row waits, in slices, unless the breaker exceeded its
    // policy). A 429 pauses every worker and costs rate-limit budget, not an attempt; an
    // ambiguous mutation returns at once; a retryable failure waits (Retry-After first) and
    // tries again until the policy gives up. `row` identifies the CSV row for the 403 streak
    // of the systemic detector (rows < 0 are not counted).
    ExecutionResult execute(const std::function<AttemptOutcome(int attempt_number)>& attempt,
                            bool mutating, const std::atomic<bool>& stop, std::int64_t row = -1);

  private:
    struct RowProgress;

    // Waits until a request may be sent; returns a final result when it may not.
    std::optional<ExecutionResult> gate(RowProgress& p, const std::atomic<bool>& stop);
    // Sends one attempt and records its verdict with the breaker and the stats.
    void send(RowProgress& p, const std::function<AttemptOutcome(int)>& attempt, bool mutating);
    // Handles a 429: pauses everyone; returns a final result when the budget is exhausted.
    std::optional<ExecutionResult> on_rate_limited(RowProgress& p);
    // Handles 401/403/configuration errors; returns a final result when they end the request.
    std::optional<ExecutionResult> on_systemic_signal(RowProgress& p, std::int64_t row);
    // Decides and sleeps before a retry; returns a final result when there is none.
    std::optional<ExecutionResult> on_retryable(RowProgress& p, const std::atomic<bool>& stop);
    std::optional<Duration> retry_after(RowProgress& p);
    // Sleeps `d` in slices; returns false when `stop` was set before the end.
    bool sleep_interruptible(Duration d, const std::atomic<bool>& stop);
    ExecutionResult finish(RowProgress& p, ExecOutcome outcome,
                           StopReason reason = StopReason::None);

    RetryPolicy m_policy;
    CircuitBreaker& m_breaker;
    RateGovernor& m_governor;
    SystemicDetector& m_detector;
    Clock& m_clock;
    Sleeper& m_sleeper;
    Random& m_random;
    ResilienceStats& m_stats;
    Duration m_retry_after_cap;
    RateLimitBudget m_budget;
    std::function<bool()> m_recheck;
};

}  // namespace wxbatch::resilience
