#include "wxbatch/resilience/rate_governor.hpp"

#include <algorithm>

#include "wxbatch/resilience/time_math.hpp"

namespace wxbatch::resilience {

RateGovernor::RateGovernor(PacingSettings pacing) : m_pacer(pacing) {}

void RateGovernor::configure(const PacingSettings& pacing) {
    std::lock_guard lock(m_mutex);
    m_pacer.configure(pacing);
    ++m_counters.revision;
}

void RateGovernor::on_rate_limited(MonoTime now, Duration retry_after, const PaceTicket* ticket) {
    const MonoTime until = add_clamped(now, retry_after);
    std::lock_guard lock(m_mutex);
    ++m_counters.revision;
    const bool running = m_paused_until && *m_paused_until > now;
    m_pacer.on_rate_limited(now, running, ticket);
    if (running) {
        if (until > *m_paused_until) {
            m_counters.seconds_paused += seconds_between(*m_paused_until, until);
            m_paused_until = until;
            ++m_counters.extensions;
            m_pacer.on_pause(until);
        }
        return;
    }
    m_pacer.on_pause(until);
    if (until > now) {
        m_counters.seconds_paused += seconds_between(now, until);
        m_paused_until = until;
        ++m_counters.pauses;
    }
}

void RateGovernor::on_admitted(const PaceTicket& ticket, MonoTime now) {
    std::lock_guard lock(m_mutex);
    m_pacer.on_admitted(ticket, now);
}

std::optional<MonoTime> RateGovernor::paused_until(MonoTime now) const {
    std::lock_guard lock(m_mutex);
    if (m_paused_until && *m_paused_until > now) {
        return m_paused_until;
    }
    return std::nullopt;
}

WaitResult RateGovernor::wait_until_clear(Clock& clock, Sleeper& sleeper,
                                          const std::atomic<bool>& stop) {
    WaitResult result;
    const MonoTime start = clock.now();
    for (;;) {
        if (stop.load()) {
            result.stopped = true;
            break;
        }
        const MonoTime now = clock.now();
        const auto until = paused_until(now);
        if (!until) {
            break;
        }
        const Duration remaining = std::chrono::duration_cast<Duration>(*until - now);
        sleeper.sleep_for(std::min(remaining, k_wait_slice));
    }
    result.waited = std::chrono::duration_cast<Duration>(clock.now() - start);
    return result;
}

bool RateGovernor::sleep_until(Clock& clock, Sleeper& sleeper, MonoTime until,
                               const std::atomic<bool>& stop) {
    for (;;) {
        if (stop.load()) {
            return false;
        }
        const MonoTime now = clock.now();
        if (now >= until) {
            return true;
        }
        sleeper.sleep_for(
            std::min(std::chrono::duration_cast<Duration>(until - now), k_wait_slice));
    }
}

WaitResult RateGovernor::acquire(Clock& clock, Sleeper& sleeper, const std::atomic<bool>& stop) {
    const MonoTime start = clock.now();
    WaitResult result;
    for (;;) {
        if (wait_until_clear(clock, sleeper, stop).stopped) {
            result.stopped = true;
            break;
        }
        const MonoTime now = clock.now();
        Duration slot_wait{0};
        {
            std::lock_guard lock(m_mutex);
            slot_wait = m_pacer.reserve(now, &result.ticket);
            ++m_counters.revision;
        }
        if (slot_wait.count() <= 0) {
            break;
        }
        if (!sleep_until(clock, sleeper, add_clamped(now, slot_wait), stop)) {
            result.stopped = true;
            break;
        }
        if (!paused_until(clock.now())) {
            break;
        }
    }
    result.waited = std::chrono::duration_cast<Duration>(clock.now() - start);
    return result;
}

std::optional<double> RateGovernor::pacing_rate(MonoTime now) {
    std::lock_guard lock(m_mutex);
    return m_pacer.rate(now);
}

GovernorCounters RateGovernor::counters() const {
    std::lock_guard lock(m_mutex);
    GovernorCounters c = m_counters;
    c.pacing = m_pacer.counters();
    return c;
}

std::string RateGovernor::pacing_basis() const {
    std::lock_guard lock(m_mutex);
    return m_pacer.basis();
}

}  // namespace wxbatch::resilience
