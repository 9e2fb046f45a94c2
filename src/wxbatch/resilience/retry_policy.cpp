#include "wxbatch/resilience/retry_policy.hpp"

#include <string>
#include <utility>

#include "wxbatch/util/error.hpp"

namespace wxbatch::resilience {

namespace {

RetrySettings profile(const char* name, int attempts, double base, double max) {
    RetrySettings s;
    s.profile = name;
    s.max_attempts = attempts;
    s.base_delay_s = base;
    s.max_delay_s = max;
    return s;
}

Wait make_wait(const RetrySettings& s) {
    return s.jitter ? wait_full_jitter(s.base_delay_s, s.max_delay_s)
                    : wait_exponential(s.base_delay_s, 0, s.max_delay_s);
}

Stop make_stop(const RetrySettings& s) {
    if (s.max_attempts < 1) {
        throw UsageError("retry max attempts must be at least 1, got " +
                         std::to_string(s.max_attempts));
    }
    if (s.base_delay_s < 0 || s.max_delay_s < 0 || s.max_total_s < 0) {
        throw UsageError("retry delays must not be negative");
    }
    Stop stop = stop_after_attempt(s.max_attempts);
    if (s.max_total_s > 0) {
        stop = stop | stop_after_delay(s.max_total_s);
    }
    return stop;
}

}  // namespace

RetrySettings retry_profile(std::string_view name) {
    if (name == "aggressive") {
        return profile("aggressive", 8, 0.5, 30);
    }
    if (name == "normal") {
        return profile("normal", 5, 1, 60);
    }
    if (name == "conservative") {
        return profile("conservative", 3, 2, 120);
    }
    throw UsageError("unknown retry profile '" + std::string(name) +
                     "' (expected aggressive, normal or conservative)");
}

const char* to_string(RetryAction a) {
    return a == RetryAction::Retry ? "retry" : "give_up_exhausted";
}

const char* to_string(WaitSource s) {
    return s == WaitSource::Backoff ? "backoff" : "retry_after";
}

RetryPolicy::RetryPolicy(RetrySettings settings)
    : m_settings(std::move(settings)),
      m_wait(make_wait(m_settings)),
      m_stop(make_stop(m_settings)) {}

Duration RetryPolicy::backoff(const RetryState& state, Random& random) const {
    return m_wait.compute(state, random);
}

RetryDecision RetryPolicy::decide(const RetryState& state, Random& random,
                                  std::optional<Duration> retry_after) const {
    RetryDecision decision;
    if (retry_after) {
        decision.wait = *retry_after;
        decision.source = WaitSource::RetryAfter;
    } else {
        decision.wait = m_wait.compute(state, random);
    }
    RetryState checked = state;
    checked.upcoming_sleep = decision.wait.count();
    decision.action =
        m_stop.should_stop(checked) ? RetryAction::GiveUpExhausted : RetryAction::Retry;
    return decision;
}

}  // namespace wxbatch::resilience
