#pragma once
// Stop conditions with Tenacity's semantics, checked after the wait is computed (so
// RetryState::upcoming_sleep is set). Combine them with | (any) and & (all).

#include <functional>
#include <utility>

#include "wxbatch/resilience/retry_state.hpp"

namespace wxbatch::resilience {

class Stop {
  public:
    using Predicate = std::function<bool(const RetryState&)>;

    explicit Stop(Predicate predicate) : m_predicate(std::move(predicate)) {}

    // True when no further attempt may be made after `state.attempt_number`.
    bool should_stop(const RetryState& state) const { return m_predicate(state); }

    friend Stop operator|(const Stop& a, const Stop& b);
    friend Stop operator&(const Stop& a, const Stop& b);

  private:
    Predicate m_predicate;
};

// attempt_number >= attempts.
Stop stop_after_attempt(int attempts);
// seconds_since_start >= seconds.
Stop stop_after_delay(double seconds);
// seconds_since_start + upcoming_sleep >= seconds: stop before a sleep would cross the limit.
Stop stop_before_delay(double seconds);
// Never stops.
Stop stop_never();

}  // namespace wxbatch::resilience
