#pragma once
// The rate governor shared by every worker that talks to the API (SPEC §5): a 429 pauses all
// of them until its Retry-After has passed, not only the worker that got it. Thread-safe.
// acquire() is the single gate before each request: it waits for a pause to end, then for the
// request's slot from the RatePacer, which learns the server's admitted rate from the 429s.

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include "wxbatch/resilience/rate_pacer.hpp"
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
    PaceTicket ticket;     // acquire(): the request's ticket, to hand back with a 429
};

struct GovernorCounters {
    GovernorCounters() = default;
    // The three pause counters (the form older callers and tests build).
    GovernorCounters(long pauses_started, long pauses_extended, double paused_s)
        : pauses(pauses_started), extensions(pauses_extended), seconds_paused(paused_s) {}

    long pauses = 0;            // pauses started (extensions of a running pause not counted)
    long extensions = 0;        // 429s that pushed a running pause further
    double seconds_paused = 0;  // length of the union of all pause intervals
    PacerCounters pacing;       // the learned rate and its changes
    long revision = 0;          // grows with every change: orders snapshots of the same governor
};

class RateGovernor {
  public:
    explicit RateGovernor(PacingSettings pacing = {});

    // Replaces the pacing settings (call before the workers start); the learned rate is kept.
    void configure(const PacingSettings& pacing);

    // Pauses every caller of acquire() until now + retry_after. Extends a running pause whose
    // end is earlier; never shortens one. A 429 outside a running pause lowers the pacing rate.
    // `ticket` is the one acquire() gave the request that got the 429 (the pacer learns
    // exactly from it); without one the pacer estimates.
    void on_rate_limited(MonoTime now, Duration retry_after, const PaceTicket* ticket = nullptr);

    // A request got an answer other than 429, at `now`: the server's limiter admitted it
    // (teaches the pacer the server's rate right after its first 429, and when the first
    // requests reached the server).
    void on_admitted(const PaceTicket& ticket, MonoTime now);

    // The end of the pause in force at `now`, if any.
    std::optional<MonoTime> paused_until(MonoTime now) const;

    // Blocks while paused, sleeping in slices of at most k_wait_slice so that `stop` is seen.
    // Returns at once when not paused or when `stop` is set.
    WaitResult wait_until_clear(Clock& clock, Sleeper& sleeper, const std::atomic<bool>& stop);

    // The gate before each request: waits for a pause to end, then for the request's pacing
    // slot (in slices, so that `stop` is seen). A pause that starts while a caller waits for
    // its slot sends it back to wait for the pause and take a new slot.
    WaitResult acquire(Clock& clock, Sleeper& sleeper, const std::atomic<bool>& stop);

    // The pacing rate in requests per second at `now`, or nullopt while unlimited.
    std::optional<double> pacing_rate(MonoTime now);

    GovernorCounters counters() const;
    // What the pacer's last adjustment was based on (RatePacer::basis).
    std::string pacing_basis() const;

  private:
    // Sleeps until `until` in slices; returns false when `stop` was set before.
    static bool sleep_until(Clock& clock, Sleeper& sleeper, MonoTime until,
                            const std::atomic<bool>& stop);

    mutable std::mutex m_mutex;
    RatePacer m_pacer;
    std::optional<MonoTime> m_paused_until;
    GovernorCounters m_counters;
};

}  // namespace wxbatch::resilience
