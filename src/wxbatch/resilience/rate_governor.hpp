#pragma once
// The rate governor shared by every worker that talks to the API (SPEC §5): a 429 pauses all
// of them until its Retry-After has passed, not only the worker that got it. Thread-safe.
// acquire() is the single gate before each request, so a client-side pacer (token bucket, AIMD)
// can later be added behind it without changing callers.

#include <atomic>
#include <mutex>
#include <optional>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

// The per-row budget for rate-limit waits, kept apart from the retry attempts: a 429 does not
// consume an attempt, it consumes this budget.
struct RateLimitBudget {
    int max_waits_per_row = 20;
    double max_wait_s_per_row = 900;
};

struct WaitResult {
    Duration waited{0};    // how long the caller was held
    bool stopped = false;  // the stop flag was seen set (the pause may not be over)
};

struct GovernorCounters {
    long pauses = 0;            // pauses started (extensions of a running pause not counted)
    long extensions = 0;        // 429s that pushed a running pause further
    double seconds_paused = 0;  // length of the union of all pause intervals
};

class RateGovernor {
  public:
    // Pauses every caller of acquire() until now + retry_after. Extends a running pause whose
    // end is earlier; never shortens one.
    void on_rate_limited(MonoTime now, Duration retry_after);

    // The end of the pause in force at `now`, if any.
    std::optional<MonoTime> paused_until(MonoTime now) const;

    // Blocks while paused, sleeping in slices of at most k_wait_slice so that `stop` is seen.
    // Returns at once when not paused or when `stop` is set.
    WaitResult wait_until_clear(Clock& clock, Sleeper& sleeper, const std::atomic<bool>& stop);

    // The gate before each request. Today it only waits for a pause to end.
    WaitResult acquire(Clock& clock, Sleeper& sleeper, const std::atomic<bool>& stop);

    GovernorCounters counters() const;

  private:
    mutable std::mutex m_mutex;
    std::optional<MonoTime> m_paused_until;
    GovernorCounters m_counters;
};

}  // namespace wxbatch::resilience
