#include "wxbatch/resilience/circuit_breaker.hpp"

#include <algorithm>

#include "wxbatch/resilience/time_math.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::resilience {

namespace {

constexpr std::size_t k_max_transitions = 1000;

void check(const BreakerSettings& s) {
    if (s.window < 1 || s.half_open_probes < 1) {
        throw UsageError("breaker window and half-open probes must be at least 1");
    }
    if (!(s.failure_threshold > 0 && s.failure_threshold <= 1)) {
        throw UsageError("breaker failure threshold must be in (0, 1]");
    }
    if (s.open_s < 0 || s.max_open_total_s < 0 || s.max_open_cycles < 0) {
        throw UsageError("breaker durations and cycle bounds must not be negative");
    }
}

}  // namespace

const char* to_string(BreakerState s) {
    switch (s) {
        case BreakerState::Closed:
            return "CLOSED";
        case BreakerState::Open:
            return "OPEN";
        case BreakerState::HalfOpen:
            return "HALF_OPEN";
    }
    return "?";
}

const char* to_string(Permission p) {
    switch (p) {
        case Permission::Permitted:
            return "permitted";
        case Permission::RejectedOpen:
            return "rejected_open";
        case Permission::RejectedHalfOpenFull:
            return "rejected_half_open_full";
    }
    return "?";
}

const char* to_string(CallVerdict v) {
    switch (v) {
        case CallVerdict::Success:
            return "success";
        case CallVerdict::Failure:
            return "failure";
        case CallVerdict::Ignored:
            return "ignored";
    }
    return "?";
}

CircuitBreaker::CircuitBreaker(BreakerSettings settings) : m_settings(settings) {
    check(m_settings);
    m_minimum_calls = m_settings.minimum_calls <= 0
                          ? m_settings.window
                          : std::min(m_settings.minimum_calls, m_settings.window);
    m_ring.reserve(static_cast<std::size_t>(m_settings.window));
}

void CircuitBreaker::transition(BreakerState to, MonoTime at) {
    m_transitions.push_back({m_state, to, at});
    if (m_transitions.size() > k_max_transitions) {
        m_transitions.erase(m_transitions.begin());
    }
    m_state = to;
}

void CircuitBreaker::open(MonoTime now) {
    transition(BreakerState::Open, now);
    m_opened_at = now;
    m_probes_in_flight = 0;
    m_probe_successes = 0;
    ++m_consecutive_opens;
    ++m_counters.opens;
}

void CircuitBreaker::maybe_half_open(MonoTime now) {
    if (m_state != BreakerState::Open) {
        return;
    }
    const MonoTime due = add_clamped(m_opened_at, Duration(m_settings.open_s));
    if (now < due) {
        return;
    }
    const double open_s = seconds_between(m_opened_at, due);
    m_episode_open_s += open_s;
    m_counters.seconds_open += open_s;
    transition(BreakerState::HalfOpen, now);
    ++m_counters.half_opens;
}

Permission CircuitBreaker::allow(MonoTime now) {
    std::lock_guard lock(m_mutex);
    maybe_half_open(now);
    switch (m_state) {
        case BreakerState::Closed:
            return Permission::Permitted;
        case BreakerState::Open:
            return Permission::RejectedOpen;
        case BreakerState::HalfOpen:
            if (m_probes_in_flight + m_probe_successes < m_settings.half_open_probes) {
                ++m_probes_in_flight;
                return Permission::Permitted;
            }
            return Permission::RejectedHalfOpenFull;
    }
    return Permission::RejectedOpen;
}

void CircuitBreaker::record_closed(bool failure, MonoTime now) {
    const auto window = static_cast<std::size_t>(m_settings.window);
    if (m_ring.size() < window) {
        m_ring.push_back(failure);
    } else {
        m_failures_in_window -= m_ring[m_next] ? 1 : 0;
        m_ring[m_next] = failure;
        m_next = (m_next + 1) % window;
    }
    m_failures_in_window += failure ? 1 : 0;
    const auto calls = static_cast<int>(m_ring.size());
    if (calls < m_minimum_calls) {
        return;
    }
    const double rate = static_cast<double>(m_failures_in_window) / calls;
    if (rate >= m_settings.failure_threshold) {
        open(now);
    }
}

void CircuitBreaker::record(CallVerdict verdict, MonoTime now) {
    std::lock_guard lock(m_mutex);
    maybe_half_open(now);
    if (m_state == BreakerState::Closed) {
        if (verdict != CallVerdict::Ignored) {
            record_closed(verdict == CallVerdict::Failure, now);
        }
        return;
    }
    if (m_state == BreakerState::Open) {
        return;
    }
    m_probes_in_flight = std::max(0, m_probes_in_flight - 1);
    if (verdict == CallVerdict::Failure) {
        open(now);
    } else if (verdict == CallVerdict::Success &&
               ++m_probe_successes >= m_settings.half_open_probes) {
        transition(BreakerState::Closed, now);
        m_ring.clear();
        m_next = 0;
        m_failures_in_window = 0;
        m_consecutive_opens = 0;
        m_episode_open_s = 0;
        ++m_counters.closes;
    }
}

void CircuitBreaker::release(MonoTime now) {
    std::lock_guard lock(m_mutex);
    maybe_half_open(now);
    if (m_state == BreakerState::HalfOpen) {
        m_probes_in_flight = std::max(0, m_probes_in_flight - 1);
    }
}

BreakerState CircuitBreaker::state(MonoTime now) {
    std::lock_guard lock(m_mutex);
    maybe_half_open(now);
    return m_state;
}

std::optional<MonoTime> CircuitBreaker::next_probe_at() const {
    std::lock_guard lock(m_mutex);
    if (m_state != BreakerState::Open) {
        return std::nullopt;
    }
    return add_clamped(m_opened_at, Duration(m_settings.open_s));
}

double CircuitBreaker::running_open_s(MonoTime now) const {
    if (m_state != BreakerState::Open) {
        return 0;
    }
    const MonoTime due = add_clamped(m_opened_at, Duration(m_settings.open_s));
    return std::max(0.0, seconds_between(m_opened_at, std::min(now, due)));
}

bool CircuitBreaker::exceeded_policy(MonoTime now) const {
    std::lock_guard lock(m_mutex);
    if (m_settings.max_open_cycles > 0 && m_consecutive_opens > m_settings.max_open_cycles) {
        return true;
    }
    return m_settings.max_open_total_s > 0 &&
           m_episode_open_s + running_open_s(now) >= m_settings.max_open_total_s;
}

BreakerCounters CircuitBreaker::counters(MonoTime now) const {
    std::lock_guard lock(m_mutex);
    BreakerCounters c = m_counters;
    c.seconds_open += running_open_s(now);
    return c;
}

std::vector<BreakerTransition> CircuitBreaker::transitions() const {
    std::lock_guard lock(m_mutex);
    return m_transitions;
}

}  // namespace wxbatch::resilience
