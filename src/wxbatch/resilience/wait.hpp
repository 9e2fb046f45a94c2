#pragma once
// Wait strategies with Tenacity's semantics: the wait after the attempt that just failed
// (RetryState::attempt_number, from 1). A Wait is a small value type; copy it freely.

#include <initializer_list>
#include <limits>
#include <vector>

#include "wxbatch/resilience/retry_state.hpp"
#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

// Tenacity's bound for an unbounded wait (sys.maxsize / 2 seconds).
inline constexpr double k_max_wait_s = 4611686018427387903.0;

// The smallest and largest value a wait may take for one attempt.
struct WaitBounds {
    double min_s = 0;
    double max_s = 0;
};

class Wait {
  public:
    enum class Kind { Fixed, Random, Exponential, FullJitter, Chain };

    // The wait after the attempt `state.attempt_number`; draws from `random` when random.
    // Always finite and >= 0, whatever the attempt number.
    Duration compute(const RetryState& state, Random& random) const;
    // The range compute() can return for attempt `attempt_number`.
    WaitBounds bounds(int attempt_number) const;
    Kind kind() const { return m_kind; }

  private:
    friend Wait wait_fixed(double);
    friend Wait wait_random(double, double);
    friend Wait wait_exponential(double, double, double, double);
    friend Wait wait_full_jitter(double, double, double);
    friend Wait wait_chain(std::vector<Wait>);

    // multiplier * exp_base^(attempt-1), clamped to [m_min, m_max] without overflow.
    double exponential(int attempt_number) const;
    const Wait& chain_member(int attempt_number) const;

    Kind m_kind = Kind::Fixed;
    double m_multiplier = 1;
    double m_min = 0;
    double m_max = 0;
    double m_exp_base = 2;
    std::vector<Wait> m_chain;
};

// Always `seconds`.
Wait wait_fixed(double seconds);
// uniform(min, max).
Wait wait_random(double min_s, double max_s);
// max(min, min(multiplier * exp_base^(n-1), max)).
Wait wait_exponential(double multiplier = 1, double min_s = 0, double max_s = k_max_wait_s,
                      double exp_base = 2);
// uniform(0, min(max, multiplier * exp_base^(n-1))): AWS's "full jitter".
Wait wait_full_jitter(double multiplier = 1, double max_s = k_max_wait_s, double exp_base = 2);
// Strategy k for attempt k; the last one repeats. An empty chain waits 0.
Wait wait_chain(std::vector<Wait> strategies);

}  // namespace wxbatch::resilience
