#include "wxbatch/resilience/resilient_executor.hpp"

#include <algorithm>
#include <utility>

#include "wxbatch/resilience/retry_after.hpp"
#include "wxbatch/resilience/time_math.hpp"

namespace wxbatch::resilience {

// The state of one execute() call.
struct ResilientExecutor::RowProgress {
    ExecutionResult result;
    MonoTime start;
    int failed_attempts = 0;  // retryable failures so far (429s excluded): the retry attempt
    double idle_s = 0;        // backoff slept so far
    double blocked_s = 0;     // governor and breaker waits so far
    int rate_waits = 0;
    double rate_wait_s = 0;
    PaceTicket ticket;  // the pacer's ticket for the attempt in flight
};

const char* to_string(ExecOutcome o) {
    switch (o) {
        case ExecOutcome::Success:
            return "success";
        case ExecOutcome::NonRetryable:
            return "non_retryable";
        case ExecOutcome::Ambiguous:
            return "ambiguous";
        case ExecOutcome::GiveUpExhausted:
            return "give_up_exhausted";
        case ExecOutcome::Stopped:
            return "stopped";
    }
    return "?";
}

ResilientExecutor::ResilientExecutor(RetryPolicy policy, CircuitBreaker& breaker,
                                     RateGovernor& governor, SystemicDetector& detector,
                                     Clock& clock, Sleeper& sleeper, Random& random,
                                     ResilienceStats& stats, Duration retry_after_cap,
                                     RateLimitBudget budget)
    : m_policy(std::move(policy)),
      m_breaker(breaker),
      m_governor(governor),
      m_detector(detector),
      m_clock(clock),
      m_sleeper(sleeper),
      m_random(random),
      m_stats(stats),
      m_retry_after_cap(retry_after_cap),
      m_budget(budget) {}

ExecutionResult ResilientExecutor::finish(RowProgress& p, ExecOutcome outcome, StopReason reason) {
    p.result.outcome = outcome;
    p.result.stop_reason = reason;
    p.result.waited_s = p.idle_s + p.blocked_s;
    return p.result;
}

bool ResilientExecutor::sleep_interruptible(Duration d, const std::atomic<bool>& stop) {
    const MonoTime deadline = add_clamped(m_clock.now(), d);
    for (;;) {
        if (stop.load()) {
            return false;
        }
        const MonoTime now = m_clock.now();
        if (now >= deadline) {
            return true;
        }
        m_sleeper.sleep_for(
            std::min(std::chrono::duration_cast<Duration>(deadline - now), k_wait_slice));
    }
}

std::optional<ExecutionResult> ResilientExecutor::gate(RowProgress& p,
                                                       const std::atomic<bool>& stop) {
    for (;;) {
        if (stop.load()) {
            return finish(p, ExecOutcome::Stopped, StopReason::Signal);
        }
        if (const auto reason = m_detector.systemic()) {
            return finish(p, ExecOutcome::Stopped, *reason);
        }
        const WaitResult held = m_governor.acquire(m_clock, m_sleeper, stop);
        p.ticket = held.ticket;
        p.blocked_s += held.waited.count();
        m_stats.add_blocked(held.waited.count(), 0);
        if (held.stopped) {
            return finish(p, ExecOutcome::Stopped, StopReason::Signal);
        }
        const MonoTime now = m_clock.now();
        if (m_breaker.allow(now) == Permission::Permitted) {
            return std::nullopt;
        }
        if (m_breaker.exceeded_policy(now)) {
            return finish(p, ExecOutcome::Stopped, StopReason::SystemicBreaker);
        }
        Duration nap = k_wait_slice;
        if (const auto probe = m_breaker.next_probe_at(); probe && *probe > now) {
            nap = std::min(nap, std::chrono::duration_cast<Duration>(*probe - now));
        }
        m_sleeper.sleep_for(nap);
        p.blocked_s += nap.count();
        m_stats.add_blocked(0, nap.count());
    }
}

void ResilientExecutor::send(RowProgress& p, const std::function<AttemptOutcome(int)>& attempt,
                             bool mutating) {
    ++p.result.attempts;
    m_stats.add_attempt();
    AttemptOutcome outcome;
    try {
        outcome = attempt(p.result.attempts);
    } catch (...) {
        m_breaker.release(m_clock.now());
        throw;
    }
    outcome.mutating = mutating;
    const Classification c = classify(outcome);
    const MonoTime now = m_clock.now();
    m_breaker.record(c.breaker_verdict, now);
    m_stats.set_breaker(m_breaker.counters(now));
    m_stats.set_governor(m_governor.counters());
    p.result.last = std::move(outcome);
    p.result.last_class = c;
}

std::optional<Duration> ResilientExecutor::retry_after(RowProgress& p) {
    const auto& header = p.result.last.retry_after;
    if (!header) {
        return std::nullopt;
    }
    RetryAfter parsed = parse_retry_after(*header, m_clock.wall_now(), m_retry_after_cap);
    if (!parsed.delay) {
        m_stats.add_retry_after_ignored();
        p.result.retry_after_problem = std::move(parsed.problem);
    } else if (parsed.clamped) {
        m_stats.add_retry_after_clamped();
    }
    return parsed.delay;
}

std::optional<ExecutionResult> ResilientExecutor::on_rate_limited(RowProgress& p) {
    Duration delay{0};
    if (const auto header = retry_after(p)) {
        delay = *header;
    } else {
        RetryState state;
        state.attempt_number = p.rate_waits + 1;
        delay = m_policy.backoff(state, m_random);
    }
    m_governor.on_rate_limited(m_clock.now(), delay, &p.ticket);
    if (p.rate_waits >= m_budget.max_waits_per_row ||
        p.rate_wait_s + delay.count() > m_budget.max_wait_s_per_row) {
        return finish(p, ExecOutcome::GiveUpExhausted);
    }
    ++p.rate_waits;
    p.rate_wait_s += delay.count();
    p.result.rate_limit_waits.push_back(delay.count());
    m_stats.add_rate_limit_wait(delay.count());
    return std::nullopt;
}

std::optional<ExecutionResult> ResilientExecutor::on_systemic_signal(RowProgress& p,
                                                                     std::int64_t row) {
    const Classification& c = p.result.last_class;
    if (c.error_class == webex::ErrorClass::SystemicFatal) {
        m_detector.record_config_error();
        return finish(p, ExecOutcome::Stopped, StopReason::SystemicConfig);
    }
    const int status = p.result.last.http_status.value_or(0);
    if (status == 401 && m_detector.record_401(row) && m_recheck &&
        m_detector.on_unauthorized(m_recheck())) {
        return finish(p, ExecOutcome::Stopped, StopReason::SystemicAuth);
    }
    if (status == 403 && row >= 0 && m_detector.record_403(row)) {
        return finish(p, ExecOutcome::Stopped, StopReason::SystemicScope);
    }
    return std::nullopt;
}

std::optional<ExecutionResult> ResilientExecutor::on_retryable(RowProgress& p,
                                                               const std::atomic<bool>& stop) {
    ++p.failed_attempts;
    RetryState state;
    state.attempt_number = p.failed_attempts;
    state.seconds_since_start = seconds_between(p.start, m_clock.now());
    state.idle_for = p.idle_s;
    const RetryDecision decision = m_policy.decide(state, m_random, retry_after(p));
    if (decision.action == RetryAction::GiveUpExhausted) {
        return finish(p, ExecOutcome::GiveUpExhausted);
    }
    m_stats.add_retry(p.result.last_class.cause);
    p.result.retry_waits.push_back(decision.wait.count());
    const MonoTime before = m_clock.now();
    const bool completed = sleep_interruptible(decision.wait, stop);
    p.idle_s += seconds_between(before, m_clock.now());
    if (!completed) {
        return finish(p, ExecOutcome::Stopped, StopReason::Signal);
    }
    return std::nullopt;
}

ExecutionResult ResilientExecutor::execute(const std::function<AttemptOutcome(int)>& attempt,
                                           bool mutating, const std::atomic<bool>& stop,
                                           std::int64_t row) {
    RowProgress p;
    p.start = m_clock.now();
    for (;;) {
        if (auto blocked = gate(p, stop)) {
            return *blocked;
        }
        send(p, attempt, mutating);
        const Classification& c = p.result.last_class;
        if (!c.rate_limited && p.result.last.http_status != 0) {
            // Any answer but a 429 passed the server's limiter.
            m_governor.on_admitted(p.ticket, m_clock.now());
        }
        if (c.ok) {
            m_detector.record_success();
            return finish(p, ExecOutcome::Success);
        }
        if (auto systemic = on_systemic_signal(p, row)) {
            return *systemic;
        }
        if (c.rate_limited) {
            if (auto exhausted = on_rate_limited(p)) {
                return *exhausted;
            }
            continue;
        }
        if (c.ambiguous) {
            return finish(p, ExecOutcome::Ambiguous);
        }
        if (!c.retryable) {
            return finish(p, ExecOutcome::NonRetryable);
        }
        if (auto done = on_retryable(p, stop)) {
            return *done;
        }
    }
}

}  // namespace wxbatch::resilience
