#include "wxbatch/resilience/resilience_stats.hpp"

#include <algorithm>

namespace wxbatch::resilience {

void ResilienceStats::add_retry(const std::string& cause) {
    std::lock_guard lock(m_mutex);
    ++m_retries_total;
    ++m_retries_by_cause[cause];
}

void ResilienceStats::add_rate_limit_wait(double seconds) {
    std::lock_guard lock(m_mutex);
    ++m_rate_limit_waits;
    m_rate_limit_wait_s += seconds;
}

void ResilienceStats::add_blocked(double governor_s, double breaker_s) {
    std::lock_guard lock(m_mutex);
    m_blocked_governor_s += governor_s;
    m_blocked_breaker_s += breaker_s;
}

// Snapshots may arrive out of order from several threads; the counters only grow, so the
// field-wise maximum is the newest value whatever the order.
void ResilienceStats::set_breaker(const BreakerCounters& counters) {
    std::lock_guard lock(m_mutex);
    m_breaker.opens = std::max(m_breaker.opens, counters.opens);
    m_breaker.half_opens = std::max(m_breaker.half_opens, counters.half_opens);
    m_breaker.closes = std::max(m_breaker.closes, counters.closes);
    m_breaker.seconds_open = std::max(m_breaker.seconds_open, counters.seconds_open);
}

void ResilienceStats::set_governor(const GovernorCounters& counters) {
    std::lock_guard lock(m_mutex);
    m_governor.pauses = std::max(m_governor.pauses, counters.pauses);
    m_governor.extensions = std::max(m_governor.extensions, counters.extensions);
    m_governor.seconds_paused = std::max(m_governor.seconds_paused, counters.seconds_paused);
    // The pacing rate goes down as well as up: the newest snapshot (highest revision) wins.
    if (counters.revision >= m_governor.revision) {
        m_governor.revision = counters.revision;
        m_governor.pacing = counters.pacing;
    }
}

long ResilienceStats::retries_total() const {
    std::lock_guard lock(m_mutex);
    return m_retries_total;
}

long ResilienceStats::retries_for(const std::string& cause) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_retries_by_cause.find(cause);
    return it == m_retries_by_cause.end() ? 0 : it->second;
}

long ResilienceStats::rate_limit_waits() const {
    std::lock_guard lock(m_mutex);
    return m_rate_limit_waits;
}

double ResilienceStats::rate_limit_wait_s() const {
    std::lock_guard lock(m_mutex);
    return m_rate_limit_wait_s;
}

nlohmann::json ResilienceStats::to_json() const {
    std::lock_guard lock(m_mutex);
    nlohmann::json by_cause = nlohmann::json::object();
    for (const auto& [cause, count] : m_retries_by_cause) {
        by_cause[cause] = count;
    }
    return {
        {"attempts", m_attempts.load()},
        {"retries", {{"total", m_retries_total}, {"by_cause", by_cause}}},
        {"rate_limit_waits",
         {{"count", m_rate_limit_waits},
          {"seconds", m_rate_limit_wait_s},
          {"pauses", m_governor.pauses},
          {"pause_seconds", m_governor.seconds_paused}}},
        {"pacing",
         {{"rate", m_governor.pacing.rate},
          {"decreases", m_governor.pacing.decreases},
          {"increases", m_governor.pacing.increases},
          {"paced_waits", m_governor.pacing.paced_waits},
          {"paced_wait_s", m_governor.pacing.paced_wait_s},
          {"modelled_rate", m_governor.pacing.modelled_rate},
          {"modelled_burst", m_governor.pacing.burst}}},
        {"breaker",
         {{"opens", m_breaker.opens},
          {"half_opens", m_breaker.half_opens},
          {"closes", m_breaker.closes},
          {"seconds_open", m_breaker.seconds_open}}},
        {"blocked_seconds", {{"governor", m_blocked_governor_s}, {"breaker", m_blocked_breaker_s}}},
        {"retry_after",
         {{"ignored", m_retry_after_ignored.load()}, {"clamped", m_retry_after_clamped.load()}}},
    };
}

}  // namespace wxbatch::resilience
