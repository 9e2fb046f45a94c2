#include "wxbatch/resilience/rate_pacer.hpp"

#include <algorithm>
#include <cmath>

#include "wxbatch/resilience/time_math.hpp"

namespace wxbatch::resilience {

namespace {

// The shortest sending segment used to compute an admitted rate (avoids dividing by zero).
constexpr double k_min_segment_s = 0.001;
// The shortest segment, and the smallest difference of send rates between two segments, from
// which the server's burst is learned.
constexpr double k_min_fit_segment_s = 0.1;
constexpr double k_min_fit_rate_gap = 0.1;
// An estimate that uses the learned burst is never below this share of the segment's send rate.
constexpr double k_min_burst_estimate = 0.5;

}  // namespace

RatePacer::RatePacer(PacingSettings settings) : m_settings(settings) {}

void RatePacer::grow(MonoTime now) {
    if (!m_rate || m_settings.increase_interval_s <= 0 || now <= m_last_change) {
        return;
    }
    const double elapsed = seconds_between(m_last_change, now);
    const double steps = std::floor(elapsed / m_settings.increase_interval_s);
    if (steps < 1) {
        return;
    }
    const double step = m_burst ? m_settings.learned_increase_step : m_settings.increase_step;
    *m_rate += steps * step * m_base_rate;
    m_last_change = add_clamped(m_last_change, Duration(steps * m_settings.increase_interval_s));
    m_counters.increases += static_cast<long>(steps);
    m_counters.rate = *m_rate;
}

Duration RatePacer::reserve(MonoTime now, PaceTicket* ticket) {
    if (!m_started) {
        m_started = true;
        m_segment_start = now;
    }
    ++m_segment_sent;
    if (ticket != nullptr) {
        *ticket = PaceTicket{m_segment_id, m_segment_sent, now};
    }
    if (!m_settings.enabled) {
        return Duration(0);
    }
    grow(now);
    if (!m_rate) {
        return Duration(0);
    }
    const MonoTime tat = std::max(m_tat, now);
    const MonoTime tolerated = tat - std::chrono::round<MonoTime::duration>(
                                         Duration(std::max(0.0, m_settings.tolerance_s)));
    const MonoTime send_at = std::max(now, tolerated);
    m_tat = add_clamped(tat, Duration(1.0 / *m_rate));
    const double wait = seconds_between(now, send_at);
    if (ticket != nullptr) {
        ticket->sent_at = send_at;
    }
    if (wait > 0) {
        ++m_counters.paced_waits;
        m_counters.paced_wait_s += wait;
    }
    return Duration(wait);
}

double RatePacer::estimate_admitted(double admitted, double segment_s) {
    const double send_rate = admitted / segment_s;
    // Too short a segment is a handful of requests: its rate is noise.
    const bool draining =
        segment_s <= m_settings.draining_segment_s && segment_s >= k_min_fit_segment_s;
    if (draining && m_prev_rate > 0 &&
        std::abs(m_prev_rate - send_rate) >= k_min_fit_rate_gap * m_prev_rate) {
        // s1 - B / t1 = s2 - B / t2 (= R): solve for B.
        const double inverse_gap = 1.0 / m_prev_s - 1.0 / segment_s;
        const double burst = (m_prev_rate - send_rate) / inverse_gap;
        if (std::isfinite(burst) && burst > 0 && burst < admitted) {
            m_burst = burst;
            m_counters.burst = burst;
        }
    }
    m_prev_rate = draining ? send_rate : 0;
    m_prev_s = segment_s;
    if (m_burst) {
        // A burst learned from noisy segments must not turn one 429 into a crawl: one 429
        // at most halves the estimate.
        return std::max((admitted - *m_burst) / segment_s, k_min_burst_estimate * send_rate);
    }
    return send_rate;
}

bool RatePacer::on_rate_limited(MonoTime now, bool in_pause, const PaceTicket* ticket) {
    const bool known = ticket != nullptr && ticket->segment >= 0;
    if (!m_settings.enabled || in_pause || (known && ticket->segment != m_segment_id)) {
        return false;
    }
    if (!m_started) {
        m_started = true;
        m_segment_start = now;
    }
    grow(now);
    double segment_s = 0;
    long admitted = 0;
    if (known) {
        // The server's bucket ran dry when this request arrived: the ones sent before it were
        // admitted (less the 429s of this segment already counted).
        segment_s = std::max(k_min_segment_s, seconds_between(m_segment_start, ticket->sent_at));
        admitted = std::max(1L, ticket->seq - 1 - m_segment_limited);
    } else {
        // Without a ticket, an estimate at the 429's arrival: requests whose slots are still
        // ahead were counted at reservation but not sent yet, and the request that got this 429
        // was not admitted (those in flight are counted as admitted: an over-estimate).
        segment_s = std::max(k_min_segment_s, seconds_between(m_segment_start, now));
        long ahead = 0;
        if (m_rate) {
            const double lead =
                seconds_between(now, m_tat) - std::max(0.0, m_settings.tolerance_s);
            ahead = std::lround(std::max(0.0, lead) * *m_rate);
        }
        admitted = std::max(1L, m_segment_sent - ahead - m_segment_limited - 1);
    }
    ++m_segment_limited;
    const double measured = estimate_admitted(static_cast<double>(admitted), segment_s);
    const double base = m_rate ? std::min(*m_rate, measured) : measured;
    double factor = m_settings.decrease_factor;
    if (m_burst) {
        factor = m_settings.learned_decrease_factor;
    } else if (segment_s < m_settings.quick_429_s) {
        factor = m_settings.quick_decrease_factor;
    }
    m_rate = std::max(m_settings.min_rate, base * factor);
    m_base_rate = *m_rate;
    m_last_change = now;
    ++m_counters.decreases;
    m_counters.rate = *m_rate;
    return true;
}

void RatePacer::on_pause(MonoTime until) {
    m_started = true;
    ++m_segment_id;
    m_segment_start = until;
    m_segment_sent = 0;
    m_segment_limited = 0;
    m_tat = std::max(m_tat, until);
    m_last_change = std::max(m_last_change, until);
}

std::optional<double> RatePacer::rate(MonoTime now) {
    if (!m_settings.enabled) {
        return std::nullopt;
    }
    grow(now);
    return m_rate;
}

PacerCounters RatePacer::counters() const {
    return m_counters;
}

}  // namespace wxbatch::resilience
