#include "wxbatch/resilience/rate_governor.hpp"

#include <algorithm>

#include "wxbatch/resilience/time_math.hpp"

namespace wxbatch::resilience {

void RateGovernor::on_rate_limited(MonoTime now, Duration retry_after) {
    const MonoTime until = add_clamped(now, retry_after);
    std::lock_guard lock(m_mutex);
    const bool running = m_paused_until && *m_paused_until > now;
    if (running) {
        if (until > *m_paused_until) {
            m_counters.seconds_paused += seconds_between(*m_paused_until, until);
            m_paused_until = until;
            ++m_counters.extensions;
        }
        return;
    }
    if (until > now) {
        m_counters.seconds_paused += seconds_between(now, until);
        m_paused_until = until;
        ++m_counters.pauses;
    }
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

WaitResult RateGovernor::acquire(Clock& clock, Sleeper& sleeper, const std::atomic<bool>& stop) {
    return wait_until_clear(clock, sleeper, stop);
}

GovernorCounters RateGovernor::counters() const {
    std::lock_guard lock(m_mutex);
    return m_counters;
}

}  // namespace wxbatch::resilience
