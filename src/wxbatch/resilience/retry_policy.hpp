#pragma once
// The retry policy of one logical request (SPEC §5): a named profile's settings, the wait and
// stop strategies built from them, and the decision after a failed attempt.

#include <optional>
#include <string>
#include <string_view>

#include "wxbatch/resilience/retry_state.hpp"
#include "wxbatch/resilience/stop.hpp"
#include "wxbatch/resilience/wait.hpp"
#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

struct RetrySettings {
    std::string profile = "normal";
    int max_attempts = 5;
    double base_delay_s = 1;
    double max_delay_s = 60;
    double max_total_s = 0;  // per row; 0 = no limit
    bool jitter = true;
};

// aggressive 8/0.5/30, normal 5/1/60, conservative 3/2/120. Throws UsageError otherwise.
RetrySettings retry_profile(std::string_view name);

enum class RetryAction { Retry, GiveUpExhausted };
enum class WaitSource { Backoff, RetryAfter };

const char* to_string(RetryAction a);
const char* to_string(WaitSource s);

struct RetryDecision {
    RetryAction action = RetryAction::Retry;
    Duration wait{0};  // the wait before the next attempt (also set when giving up)
    WaitSource source = WaitSource::Backoff;
};

class RetryPolicy {
  public:
    // Full jitter when settings.jitter, else plain exponential, both on base_delay_s and
    // max_delay_s; stops after max_attempts, or after max_total_s when it is > 0.
    // Throws UsageError when max_attempts < 1 or a delay is negative.
    explicit RetryPolicy(RetrySettings settings);

    // Tenacity's order: the wait is computed (a Retry-After value replaces the backoff), set as
    // upcoming_sleep, then the stop condition is checked. `state.upcoming_sleep` is ignored.
    RetryDecision decide(const RetryState& state, Random& random,
                         std::optional<Duration> retry_after) const;

    // The backoff alone, for waits that have no stop condition (rate-limit pauses).
    Duration backoff(const RetryState& state, Random& random) const;

    const RetrySettings& settings() const { return m_settings; }
    const Wait& wait() const { return m_wait; }

  private:
    RetrySettings m_settings;
    Wait m_wait;
    Stop m_stop;
};

}  // namespace wxbatch::resilience
