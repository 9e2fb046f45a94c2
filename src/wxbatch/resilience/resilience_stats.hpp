#pragma once
// The resilience counters of a run (SPEC §3 run_summary.json: retries, rate-limit waits,
// breaker). Thread-safe: every worker's executor adds to one instance.

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "wxbatch/resilience/circuit_breaker.hpp"
#include "wxbatch/resilience/rate_governor.hpp"

namespace wxbatch::resilience {

class ResilienceStats {
  public:
    void add_attempt() { ++m_attempts; }
    // A retry after a failure whose counter label is `cause` ("503", "timeout", ...).
    void add_retry(const std::string& cause);
    // A 429 that made this row wait `seconds` (the pause requested for everyone).
    void add_rate_limit_wait(double seconds);
    // Time a row spent blocked behind the governor or an open breaker.
    void add_blocked(double governor_s, double breaker_s);
    void add_retry_after_ignored() { ++m_retry_after_ignored; }
    void add_retry_after_clamped() { ++m_retry_after_clamped; }
    // Snapshots of the shared breaker and governor, refreshed by the executor after each attempt
    // (call them once more at the end of the run for the final figures). Out-of-order snapshots
    // from several threads never move a counter backwards.
    void set_breaker(const BreakerCounters& counters);
    void set_governor(const GovernorCounters& counters);

    long attempts() const { return m_attempts.load(); }
    long retries_total() const;
    long retries_for(const std::string& cause) const;
    long rate_limit_waits() const;
    double rate_limit_wait_s() const;

    // {"attempts", "retries": {"total", "by_cause": {...}}, "rate_limit_waits": {"count",
    //  "seconds", "pauses", "pause_seconds"}, "pacing": {"rate" (0 = unlimited), "decreases",
    //  "increases", "paced_waits", "paced_wait_s"}, "breaker": {"opens", "half_opens", "closes",
    //  "seconds_open"}, "blocked_seconds": {"governor", "breaker"}, "retry_after": {...}}
    nlohmann::json to_json() const;

  private:
    std::atomic<long> m_attempts{0};
    std::atomic<long> m_retry_after_ignored{0};
    std::atomic<long> m_retry_after_clamped{0};
    mutable std::mutex m_mutex;
    long m_retries_total = 0;
    std::map<std::string, long> m_retries_by_cause;
    long m_rate_limit_waits = 0;
    double m_rate_limit_wait_s = 0;
    double m_blocked_governor_s = 0;
    double m_blocked_breaker_s = 0;
    BreakerCounters m_breaker;
    GovernorCounters m_governor;
};

}  // namespace wxbatch::resilience
