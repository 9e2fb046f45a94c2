#include "wxbatch/resilience/rate_pacer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "wxbatch/resilience/time_math.hpp"

namespace wxbatch::resilience {

namespace {

// Send times kept per segment: past this, the older half is dropped and the replay starts at
// the oldest kept send with a full bucket (after a minute of sending below the limit it is).
constexpr std::size_t k_max_sends = 32768;
// A modelled rate never cuts below this share of the lower of the current and admitted rates
// (a wrong model must not turn one 429 into a crawl).
constexpr double k_min_model_share = 0.3;
// A trusted model's room for error e is probed in k_error_close_s, or sooner when it is wide:
// probing it in t seconds costs up to e x t / 2 seconds of sending under the limit, while the
// 429 at its top costs a pause (a Retry-After, about 1 s). In k_error_cost_s / e, the probe
// costs at most a quarter of a second. (A joint model from a 107-ms second segment, within 13%,
// held a bench run at 439-500/s for 30 s: 1.116 of the ideal.)
constexpr double k_error_close_s = 30;
constexpr double k_error_cost_s = 0.5;
// Two trusted models agree when their rates differ by no more than their errors and this share,
// and the earlier one is within this much (a joint model from a short segment, said to be within
// 20%, "agrees" with almost anything: in a bench run it was 613/s for 509).
constexpr double k_confirm_slack = 0.001;
constexpr double k_confirm_max_error = 0.01;
// Each model that confirms the one before halves the probe above the modelled rate, at most this
// many times: with a bucket of B requests at a rate R, a probe of s x R per second past R drains
// the bucket in sqrt(2 B / (s R)) s, and a 429 costs a pause. 1/8 of 0.02%/s at 500/s, burst
// 50: one probe about every 2 minutes instead of every minute.
constexpr int k_max_probe_halvings = 3;
// Past the modelled rate by this share (or by the model's error, when wider) without a 429, the
// limit has risen (a probe that slow would have drained the bucket many times over): the probe
// is no longer slowed.
constexpr double k_risen_share = 0.005;
// The climb from the first estimate (apply_window, in rate_pacer_window.cpp), when faster than
// `increase_step`, goes in this many steps per increase interval rather than one.
constexpr double k_climb_ticks = 10;
// After a trusted model within this error, this share of its burst, less one request, goes at
// once when a pause ends (the server's bucket is full then, and paced below its rate it stays
// full: those tokens are otherwise never used; 45 requests, 0.1 s, in the reference job). The
// margin covers a burst learned high (the joint model's is within a request or two; one learned
// again, within 10%); a 429 within the spent burst all the same sets the burst to what the
// server admitted, and the rate stays.
constexpr double k_burst_spend_share = 0.8;
constexpr double k_burst_spend_max_error = 0.01;

// The requests sent at once after a pause, beyond the one its slot allows: the share of the
// burst less one, and no more than `refilled` (what pacing under the model refills) less one.
double burst_spend(double burst, double refilled = std::numeric_limits<double>::infinity()) {
    return std::max(0.0, std::floor(std::min(k_burst_spend_share * burst, refilled)) - 1);
}

}  // namespace

RatePacer::RatePacer(PacingSettings settings) {
    configure(settings);
}

void RatePacer::configure(const PacingSettings& settings) {
    m_settings = settings;
    if (!m_rate && settings.initial_rate > 0) {
        m_rate = std::max(settings.min_rate, settings.initial_rate);
        m_base_rate = *m_rate;
        m_counters.rate = *m_rate;
    }
}

void RatePacer::start(MonoTime now) {
    if (!m_started) {
        m_started = true;
        m_segment_start = now;
        m_last_change = now;
    }
}

void RatePacer::grow(MonoTime now) {
    // Nothing grows before the first send (an initial rate counted from the clock's epoch was
    // once infinite at it): start() sets the clock of the increase.
    if (!m_started || !m_rate || m_settings.increase_interval_s <= 0 || now <= m_last_change) {
        return;
    }
    // Started at an operator's rate, the server is not modelled (paced segments alone do not
    // tell its burst: the joint model needs the unlimited first one): near the limit, not sure
    // how near.
    const bool additive =
        m_counters.modelled_rate > 0 || (m_settings.initial_rate > 0 && !m_reference);
    const bool climbing = !additive && m_window_climb > m_settings.increase_step;
    const double interval = m_settings.increase_interval_s / (climbing ? k_climb_ticks : 1.0);
    const double elapsed = seconds_between(m_last_change, now);
    const double steps = std::floor(elapsed / interval);
    if (steps < 1) {
        return;
    }
    if (climbing) {
        *m_rate *= std::pow(1 + m_window_climb, steps / k_climb_ticks);
    } else if (additive) {
        double step = m_confident ? probe_step() : m_settings.unsure_increase_step;
        const double modelled = m_counters.modelled_rate;
        if (m_confident && modelled > 0) {
            // Past the model by more than its own error too: a wide model may be low by that
            // much (in a traced bench run, 498/s within 5.1% for 500, "risen" at 500.5/s, then
            // probed at the wide model's pace into a third pause).
            if (*m_rate > (1 + std::max(k_risen_share, m_model_error)) * modelled) {
                m_confirmations = 0;  // the limit has risen: probe at the usual pace
            } else if (*m_rate >= modelled) {
                // Up to the model at the pace of its error; past it at the gentlest probe (a
                // model may be high by its error as well as low: probed at the pace of a wide
                // one, the bucket drains within the job), and slower for each confirmation.
                step = std::min(step, m_settings.learned_increase_step);
                step = std::ldexp(step, -std::min(m_confirmations, k_max_probe_halvings));
            }
        }
        *m_rate += steps * step * m_base_rate;
    } else {
        *m_rate *= std::pow(1 + m_settings.increase_step, steps);
    }
    m_last_change = add_clamped(m_last_change, Duration(steps * interval));
    m_counters.increases += static_cast<long>(steps);
    m_counters.rate = *m_rate;
}

double RatePacer::tolerance_s() const {
    // Half a slot more: `spend` requests ahead of their slots whatever the rounding of the slots.
    const double spend_s =
        m_rate && *m_rate > 0 && m_burst_spend > 0 ? (m_burst_spend + 0.5) / *m_rate : 0;
    return std::max({0.0, m_settings.tolerance_s, spend_s});
}

double RatePacer::probe_step() const {
    // A trusted model's own error is closed in about k_error_close_s seconds, sooner when it
    // is wide.
    const double close_s =
        std::min(k_error_close_s, k_error_cost_s / std::max(m_model_error, 1e-9));
    return std::max(m_settings.learned_increase_step, m_model_error / close_s);
}

std::optional<std::size_t> RatePacer::SegmentRecord::index_of(long seq) const {
    const long index = seq - 1 - dropped;
    if (index < 0 || static_cast<std::size_t>(index) >= sends.size()) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(index);
}

void RatePacer::record_answer(const PaceTicket& ticket, signed char answer,
                              std::optional<MonoTime> answered_at) {
    SegmentRecord* record = ticket.segment < 0                ? nullptr
                            : ticket.segment == m_segment_id  ? &m_current
                            : ticket.segment == m_previous.id ? &m_previous
                                                              : nullptr;
    if (record != nullptr) {
        if (const auto index = record->index_of(ticket.seq)) {
            record->answers[*index] = answer;
            if (answered_at && *answered_at >= ticket.sent_at) {
                record->round_trips[*index] =
                    static_cast<float>(seconds_between(ticket.sent_at, *answered_at));
            }
        }
    }
}

void RatePacer::on_admitted(const PaceTicket& ticket, std::optional<MonoTime> answered_at) {
    record_answer(ticket, k_admitted, answered_at);
}

Duration RatePacer::reserve(MonoTime now, PaceTicket* ticket) {
    start(now);
    apply_window();
    ++m_segment_sent;
    MonoTime send_at = now;
    double wait = 0;
    if (m_settings.enabled) {
        grow(now);
        if (m_rate) {
            const MonoTime tat = std::max(m_tat, now);
            const MonoTime tolerated =
                tat - std::chrono::round<MonoTime::duration>(Duration(tolerance_s()));
            send_at = std::max(now, tolerated);
            m_tat = add_clamped(tat, Duration(1.0 / *m_rate));
            wait = seconds_between(now, send_at);
            if (wait > 0) {
                ++m_counters.paced_waits;
                m_counters.paced_wait_s += wait;
            }
        }
    }
    if (m_current.sends.size() >= k_max_sends) {
        const std::size_t dropped = m_current.sends.size() / 2;
        m_current.sends.erase(m_current.sends.begin(),
                              m_current.sends.begin() + static_cast<std::ptrdiff_t>(dropped));
        m_current.answers.erase(m_current.answers.begin(),
                                m_current.answers.begin() + static_cast<std::ptrdiff_t>(dropped));
        m_current.round_trips.erase(
            m_current.round_trips.begin(),
            m_current.round_trips.begin() + static_cast<std::ptrdiff_t>(dropped));
        m_current.dropped += static_cast<long>(dropped);
    }
    m_current.sends.push_back(std::max(0.0, seconds_between(m_segment_start, send_at)));
    m_current.answers.push_back(k_unanswered);
    m_current.round_trips.push_back(-1);
    if (ticket != nullptr) {
        *ticket = PaceTicket{m_segment_id, m_segment_sent, send_at};
    }
    return Duration(wait);
}

bool RatePacer::on_rate_limited(MonoTime now, bool in_pause, const PaceTicket* ticket) {
    const bool known = ticket != nullptr && ticket->segment >= 0;
    if (known) {
        record_answer(*ticket, k_refused, now);
    }
    if (!m_settings.enabled || in_pause || (known && ticket->segment != m_segment_id)) {
        return false;
    }
    start(now);
    grow(now);
    double segment_s = 0;
    double sent_s = 0;  // the refused request's send time, after the segment's start
    long admitted = 0;
    if (known) {
        sent_s = std::max(0.0, seconds_between(m_segment_start, ticket->sent_at));
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
            const double lead = seconds_between(now, m_tat) - tolerance_s();
            ahead = std::lround(std::max(0.0, lead) * *m_rate);
        }
        admitted = std::max(1L, m_segment_sent - ahead - m_segment_limited - 1);
    }
    // The refused request's index into m_current.sends, when its send time is kept.
    std::optional<std::size_t> refused_at;
    if (known) {
        refused_at = m_current.index_of(ticket->seq);
    }
    // Sending below the modelled rate, and refused all the same: the model is wrong.
    const bool contradicted =
        m_rate && m_counters.modelled_rate > 0 && *m_rate < m_counters.modelled_rate;
    const bool paced = m_rate.has_value();  // this segment was paced (not the unlimited first)
    const bool was_confident = m_confident;
    const double last_model = m_counters.modelled_rate;
    const double last_error = m_model_error;
    if (refused_at && m_rate && m_burst && m_burst_spend > 0 && m_segment_limited == 0 &&
        static_cast<double>(*refused_at) < *m_burst) {
        // Refused before the modelled burst was used up, the burst spent when the pause ended:
        // the server's bucket holds less than modelled. What it admitted, less what its rate
        // refilled meanwhile, is its burst; the rate is not in question.
        ++m_segment_limited;
        m_burst = std::max(
            1.0, static_cast<double>(admitted) - std::max(0.0, m_counters.modelled_rate) * sent_s);
        m_counters.burst = *m_burst;
        m_burst_spend = std::min(m_burst_spend, burst_spend(*m_burst));
        ++m_counters.adjustments;
        m_basis = fmt::format(
            "a 429 within the burst spent after the pause: {} admitted in {:.1f} ms, the burst "
            "now {:.0f}, the rate kept",
            admitted, sent_s * 1000, *m_burst);
        return true;
    }
    ++m_segment_limited;
    std::string basis;
    bool short_segment = false;  // cut for a segment as short as the reference
    const double measured = static_cast<double>(admitted) / segment_s;
    const double base = m_rate ? std::min(*m_rate, measured) : measured;
    double next = 0;
    m_hold_s = 0;
    if (!m_rate) {
        // The first 429: the rate was unlimited, the bucket drained from full.
        if (refused_at) {
            m_reference = ReferenceSegment{segment_s, m_current.sends, *refused_at, true};
        }
        if (known) {
            m_window = Window{ticket->segment, sent_s, false, 0, true};
        }
        next = m_settings.quick_decrease_factor * base;
        basis = fmt::format("first 429: {} admitted in {:.1f} ms", admitted, segment_s * 1000);
    } else if (const auto modelled = refused_at && m_segment_limited == 1
                                         ? model_rate(*refused_at, segment_s, contradicted,
                                                      seconds_between(m_segment_start, now))
                                         : std::nullopt) {
        m_counters.modelled_rate = *modelled;
        m_confident = m_joint || segment_s >= k_confident_segment_s;
        // A long segment's model that agrees with the trusted one before it confirms it.
        const bool confirms = m_confident && was_confident && !m_joint && last_model > 0 &&
                              last_error <= k_confirm_max_error &&
                              std::abs(*modelled - last_model) <=
                                  (last_error + m_model_error + k_confirm_slack) * last_model;
        m_confirmations = confirms ? m_confirmations + 1 : 0;
        const double cap = m_rate ? std::min(*m_rate, *modelled) : *modelled;
        next = std::max((m_settings.learned_decrease_factor - m_model_error) * cap,
                        k_min_model_share * base);
        const double held = (1 - m_model_error) * cap;
        if (m_confident && held > next) {
            // A trusted model is within its error: the rate holds at (1 - e) R until the
            // probe, counted from the cut to (factor - e) R as before, overtakes it.
            m_hold_s = (held - next) / (probe_step() * next) * m_settings.increase_interval_s;
            next = held;
        }
        basis = m_joint ? fmt::format(
                              "model of an earlier segment ({:.1f} ms) and this one "
                              "({} admitted in {:.1f} ms), within {:.1f}%",
                              m_joint_reference_s * 1000, admitted, segment_s * 1000,
                              m_model_error * 100)
                        : fmt::format(
                              "model of this segment ({} admitted in {:.1f} ms) with "
                              "the burst learned before, within {:.1f}%",
                              admitted, segment_s * 1000, m_model_error * 100);
        if (m_end_jitter_s) {
            basis += fmt::format(" (its end within {:.1f} ms)", *m_end_jitter_s * 1000);
        }
        if (m_confirmations > 0) {
            basis += fmt::format(", confirming the model before ({} in a row)", m_confirmations);
        }
    } else if (m_reference && m_reference->length_s < k_confident_segment_s &&
               segment_s < k_min_length_ratio * m_reference->length_s) {
        // As short as a short reference segment (the first one's burst): still far above the
        // limit, cut as deep.
        next = m_settings.quick_decrease_factor * base;
        m_confident = false;
        m_confirmations = 0;
        short_segment = true;
        basis = fmt::format("a segment as short as the reference: {} admitted in {:.1f} ms",
                            admitted, segment_s * 1000);
    } else {
        next = m_settings.decrease_factor * base;
        m_confident = false;
        m_confirmations = 0;
        basis = fmt::format("no model: {} admitted in {:.1f} ms", admitted, segment_s * 1000);
    }
    if (refused_at && m_rate && m_counters.modelled_rate <= 0 && m_reference &&
        segment_s < m_reference->length_s) {
        // No model yet, and this segment is shorter than the reference: it becomes the
        // reference (the joint model needs a later segment clearly longer than it). A first
        // segment that ran for long below the limit (sending was bound by concurrency, then the
        // limit dropped) would otherwise keep every later one "as short as the first".
        m_reference = ReferenceSegment{segment_s, m_current.sends, *refused_at};
    }
    if (paced && refused_at && m_segment_limited == 1) {
        // The last paced segment: with the next one, it learns the burst again if this 429 and
        // the next one both contradict the model.
        m_last_paced = ReferenceSegment{segment_s, m_current.sends, *refused_at};
        m_last_paced->end_jitter_s = m_end_jitter_s;  // dated as model_rate just did
        m_last_paced_contradicted = contradicted;
    }
    if (known && m_rate && !m_confident) {
        // Not from a trusted model: the answers after this 429 may raise the cut. After a
        // segment as short as the reference they are the best estimate of the server's rate,
        // as after the first 429, whose window misleads when the first refused request reached
        // the server late: the requests sent after it were admitted from what was left of the
        // burst (1,129/s for 500 in a bench run). The cut alone left the next segment as short
        // again, and a model of two short segments, within 6.5%, held the rate at 464/s for
        // 15 s (1.099 of the ideal).
        m_window = Window{ticket->segment, sent_s, false, short_segment ? 0 : *m_rate};
    }
    // A trusted model (not contradicted) within its error spends its burst after the pause, as
    // much of it as pacing under the model refills before the probe reaches the model: e x R a
    // second through the hold, then less as the probe closes e (a bucket left short would end
    // the next probe sooner: a long job's confirmed models, within 0.01%, spend nothing).
    m_burst_spend = 0;
    if (m_burst && m_confident && !contradicted && m_counters.modelled_rate > 0 &&
        m_model_error <= k_burst_spend_max_error) {
        const double ramp_s = m_model_error / probe_step() * m_settings.increase_interval_s;
        const double refilled = m_model_error * next * (m_hold_s + ramp_s / 2);
        m_burst_spend = burst_spend(*m_burst, refilled);
    }
    if (m_burst_spend > 0) {
        basis += fmt::format(", {:.0f} of its burst at once after the pause", m_burst_spend + 1);
    }
    m_rate = std::max(m_settings.min_rate, next);
    m_base_rate = *m_rate;
    m_last_change = add_clamped(now, Duration(m_hold_s));
    m_window_climb = 0;
    ++m_counters.decreases;
    ++m_counters.adjustments;
    m_basis = std::move(basis);
    m_counters.rate = *m_rate;
    return true;
}

void RatePacer::on_pause(MonoTime until) {
    m_started = true;
    if (!m_current.sends.empty()) {
        m_current.id = m_segment_id;
        m_previous = std::move(m_current);
    }
    m_current = SegmentRecord{};
    ++m_segment_id;
    m_segment_start = until;
    m_segment_sent = 0;
    m_segment_limited = 0;
    m_tat = std::max(m_tat, until);
    m_last_change = std::max(m_last_change, add_clamped(until, Duration(m_hold_s)));
    m_hold_s = 0;
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
