#pragma once
// A count-based circuit breaker with resilience4j's semantics (SPEC §5). Thread-safe.
// CLOSED: calls pass; once `minimum_calls` outcomes are in the window of the last `window`
// calls, a failure rate >= threshold opens it. OPEN: calls are rejected until open_s has passed,
// then (lazily, on the next look) HALF_OPEN: up to `half_open_probes` calls pass; all of them
// succeeding closes it (window cleared), any failure opens it again.

#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

struct BreakerSettings {
    int window = 20;
    double failure_threshold = 0.5;  // opens when the failure rate is >= this
    int minimum_calls = 20;          // <= 0 or above the window: the window size
    double open_s = 45;
    int half_open_probes = 3;
    int max_open_cycles = 0;        // consecutive openings tolerated; 0 = unbounded
    double max_open_total_s = 600;  // seconds open since the last close; 0 = unbounded
};

enum class BreakerState { Closed, Open, HalfOpen };
enum class Permission { Permitted, RejectedOpen, RejectedHalfOpenFull };
enum class CallVerdict { Success, Failure, Ignored };

const char* to_string(BreakerState s);  // "CLOSED", "OPEN", "HALF_OPEN"
const char* to_string(Permission p);
const char* to_string(CallVerdict v);

struct BreakerTransition {
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    MonoTime at;
};

struct BreakerCounters {
    long opens = 0;
    long half_opens = 0;
    long closes = 0;
    double seconds_open = 0;  // over the whole run, the running open period included
};

class CircuitBreaker {
  public:
    // Throws UsageError on settings that cannot work (window < 1, probes < 1, threshold
    // outside (0, 1], negative durations).
    explicit CircuitBreaker(BreakerSettings settings = {});

    // Asks to send one call. A Permitted call must be followed by record() or release().
    Permission allow(MonoTime now);
    // Records the verdict of a permitted call. Ignored verdicts only free a half-open probe slot.
    // Verdicts arriving while OPEN are dropped.
    void record(CallVerdict verdict, MonoTime now);
    // Frees the slot of a permitted call that ended without a verdict (e.g. cancelled).
    void release(MonoTime now);

    // The state at `now` (applies the lazy OPEN -> HALF_OPEN transition).
    BreakerState state(MonoTime now);
    // When an OPEN breaker will let probes through; nullopt when not OPEN.
    std::optional<MonoTime> next_probe_at() const;
    // True when the breaker has stayed out of CLOSED past the policy: more than max_open_cycles
    // consecutive openings (when bounded), or max_open_total_s seconds open since the last close.
    bool exceeded_policy(MonoTime now) const;

    BreakerCounters counters(MonoTime now) const;
    // The transitions so far, oldest first (the most recent 1000 are kept).
    std::vector<BreakerTransition> transitions() const;
    const BreakerSettings& settings() const { return m_settings; }

  private:
    void transition(BreakerState to, MonoTime at);
    void open(MonoTime now);
    void maybe_half_open(MonoTime now);
    void record_closed(bool failure, MonoTime now);
    double running_open_s(MonoTime now) const;

    BreakerSettings m_settings;
    int m_minimum_calls;
    mutable std::mutex m_mutex;
    BreakerState m_state = BreakerState::Closed;
    std::vector<bool> m_ring;  // true = failure; circular once full
    std::size_t m_next = 0;
    int m_failures_in_window = 0;
    MonoTime m_opened_at;
    int m_probes_in_flight = 0;
    int m_probe_successes = 0;
    int m_consecutive_opens = 0;
    double m_episode_open_s = 0;  // completed open periods since the last close
    BreakerCounters m_counters;
    std::vector<BreakerTransition> m_transitions;
};

}  // namespace wxbatch::resilience
