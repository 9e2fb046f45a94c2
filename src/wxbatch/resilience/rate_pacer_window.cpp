// The answers after a 429 and the first segment read in the server's order, behind RatePacer:
// the window estimate of the server's rate from the requests in flight at a 429 (window_rate,
// applied at the first send after the pause by apply_window) and the unlimited first segment
// counted again as the server saw it (unordered_reference).
#include "wxbatch/resilience/rate_pacer.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace wxbatch::resilience {

namespace {

// The window of answers after the first 429 gives an estimate of R from this many of them.
constexpr long k_min_window_answers = 8;
constexpr long k_min_window_admitted = 2;
// A window starts at a refused request; those that leave less than this share of the longest
// window are not tried (too few answers: the lowest of many short windows is far too low).
constexpr double k_window_min_share = 0.5;
// The first estimate (the answers in flight after the first 429) rests on a few answers, and
// it is low more often than high: the lanes' requests reach the server in waves, and the tokens
// it refills between two waves are counted as if the bucket had stayed dry (in bench runs, 5-8
// admitted gave 285-465/s for 500). From it the rate climbs by this share divided by the answers
// admitted, per increase interval (at least `increase_step`, at most k_max_window_climb), and in
// k_climb_ticks steps per interval (rate_pacer.cpp) rather than one when faster than
// `increase_step`: far below the limit, every second flat at the estimate costs a share of a
// second, and the 429 that ends the climb is the one the joint model needs. (From 316/s with 6
// admitted, 10% a second took 6.7 s to the 429: 1.074 of the ideal.)
constexpr double k_window_climb_share = 1.5;
constexpr double k_max_window_climb = 0.5;

}  // namespace

std::optional<RatePacer::WindowEstimate> RatePacer::window_rate(const SegmentRecord& record,
                                                                double from_s, bool burst) {
    double first = -1;  // the earliest refused send at or after from_s
    for (std::size_t i = 0; i < record.sends.size(); ++i) {
        if (record.answers[i] == k_refused && record.sends[i] >= from_s &&
            (first < 0 || record.sends[i] < first)) {
            first = record.sends[i];
        }
    }
    if (first < 0) {
        return std::nullopt;
    }
    // The answered sends from that one on, in time order (the requests in flight at the 429: a
    // few dozen), up to the latest answered send.
    std::vector<std::pair<double, signed char>> window;
    for (std::size_t i = 0; i < record.sends.size(); ++i) {
        if (record.answers[i] != k_unanswered && record.sends[i] >= first) {
            window.emplace_back(record.sends[i], record.answers[i]);
        }
    }
    std::sort(window.begin(), window.end());
    const double end = window.back().first;
    // After a burst (`burst`: the unlimited first segment, shorter than a second), the admitted
    // sends right after the first refused one, before any other refused, may be what was left
    // of it: that request reached the server late, after the ones sent after it had taken the
    // last tokens (in a traced bench run, 9 in a row, and the window from the refused one said
    // 881/s for 500). Each of them starts a window too: counted after them, that run said
    // 468/s. A bucket dry at the refused request gives its next sends a token one time in
    // several, so this seldom moves a window by more than one request. (A first segment that
    // ran for a second or more was bound by concurrency, not a burst.)
    std::size_t remnants = 0;
    while (burst && remnants + 1 < window.size() && window[remnants + 1].second == k_admitted) {
        ++remnants;
    }
    std::optional<WindowEstimate> lowest;
    for (std::size_t i = 0; i < window.size(); ++i) {
        const double start = window[i].first;
        const bool starts = window[i].second == k_refused || (i >= 1 && i <= remnants);
        if (!starts || end - start < k_window_min_share * (end - first) || end <= start) {
            continue;
        }
        WindowEstimate e;
        e.span_s = end - start;
        for (std::size_t j = i + 1; j < window.size(); ++j) {
            if (window[j].first > start) {
                ++(window[j].second == k_admitted ? e.admitted : e.refused);
            }
        }
        if (e.admitted < k_min_window_admitted || e.admitted + e.refused < k_min_window_answers) {
            continue;
        }
        // The bucket held between 0 and 1 token at the refused request: half a token on average.
        e.rate = (static_cast<double>(e.admitted) - 0.5) / e.span_s;
        if (!lowest || e.rate < lowest->rate) {
            lowest = e;
        }
    }
    return lowest;
}

std::optional<RatePacer::ReferenceSegment> RatePacer::unordered_reference(
    const SegmentRecord& record) {
    if (record.dropped > 0) {
        return std::nullopt;
    }
    // The server's bucket was full when the first request reached it, which may be well after
    // the first send (each lane's first request opens its connection). A request reached the
    // server at most its round trip's excess over the fastest one after it was sent (less
    // when its answer was slow on the way back or at the server), so the earliest of those
    // bounds is the first arrival, within the least such delay of the first requests. The
    // other times stay the send times, from that arrival on: each request's own bound moves
    // with the server's latency.
    double last_refused = -1;
    for (std::size_t i = 0; i < record.sends.size(); ++i) {
        if (record.answers[i] == k_refused) {
            last_refused = std::max(last_refused, record.sends[i]);
        }
    }
    if (last_refused < 0) {
        return std::nullopt;
    }
    // Only when the first request's own round trip is known: the bound is the first arrival's
    // only if the first requests sent are among those it is taken over.
    double origin = 0;
    if (!record.round_trips.empty() && record.round_trips.front() >= 0) {
        double fastest = record.round_trips.front();
        for (const float round_trip : record.round_trips) {
            if (round_trip >= 0) {
                fastest = std::min(fastest, static_cast<double>(round_trip));
            }
        }
        origin = last_refused;
        for (std::size_t i = 0; i < record.sends.size(); ++i) {
            if (record.round_trips[i] >= 0) {
                origin = std::min(origin, record.sends[i] + record.round_trips[i] - fastest);
            }
        }
        origin = std::clamp(origin, 0.0, std::max(0.0, last_refused - k_min_segment_s));
    }
    // A request without an answer (a transport error) is counted as admitted, as it is when
    // counting in ticket order; one sent at the same instant as the last refused one is taken
    // as having reached the server before it.
    ReferenceSegment reference;
    for (std::size_t i = 0; i < record.sends.size(); ++i) {
        if (record.answers[i] != k_refused && record.sends[i] <= last_refused) {
            reference.sends.push_back(std::max(0.0, record.sends[i] - origin));
        }
    }
    if (reference.sends.empty()) {
        return std::nullopt;
    }
    std::sort(reference.sends.begin(), reference.sends.end());
    reference.rejected = reference.sends.size();
    reference.sends.push_back(last_refused - origin);
    reference.length_s = std::max(k_min_segment_s, last_refused - origin);
    reference.unpaced = true;
    reference.arrivals = origin > 0;
    return reference;
}

// At the first send after the pause that followed the 429, every answer to the segment it
// ended is in. The requests sent after the refused one reached a dry bucket, which admitted
// them at the server's rate: enough of them give an estimate of R that does not depend on the
// burst. After the first 429, the first segment is also read again in the server's order.
void RatePacer::apply_window() {
    if (m_window.applied || m_window.segment < 0 || m_segment_id <= m_window.segment) {
        return;
    }
    m_window.applied = true;
    if (m_previous.id != m_window.segment) {
        return;
    }
    if (m_window.first && m_reference) {
        if (auto reference = unordered_reference(m_previous)) {
            m_reference = std::move(*reference);
        }
    }
    const auto estimate =
        window_rate(m_previous, m_window.from_s,
                    m_window.first && m_reference && m_reference->length_s < k_confident_segment_s);
    if (!m_rate || !estimate) {
        return;
    }
    double next = *m_rate;
    if (m_window.raise_up_to <= 0) {
        next = std::min(next, estimate->rate);
        // After a short segment's cut, only from an estimate under the cut: climbing from a
        // rate above the limit would only shorten the next segment.
        if (m_window.first || next < *m_rate) {
            m_window_climb = std::clamp(
                k_window_climb_share / static_cast<double>(estimate->admitted),
                m_settings.increase_step, std::max(m_settings.increase_step, k_max_window_climb));
        }
    } else {
        const double raised = m_settings.learned_decrease_factor * estimate->rate;
        next = std::max(next, std::min(raised, m_window.raise_up_to));
    }
    if (next == *m_rate) {
        return;
    }
    m_rate = std::max(m_settings.min_rate, next);
    m_base_rate = *m_rate;
    m_counters.rate = *m_rate;
    ++m_counters.adjustments;
    m_basis = fmt::format("answers after the {}: {} admitted, {} refused in {:.1f} ms",
                          m_window.first              ? "first 429"
                          : m_window.raise_up_to <= 0 ? "429 of a segment as short as the reference"
                                                      : "429",
                          estimate->admitted, estimate->refused, estimate->span_s * 1000);
    if (m_window_climb > m_settings.increase_step) {
        m_basis += fmt::format(", climbing {:.0f}% a second", m_window_climb * 100);
    }
}

}  // namespace wxbatch::resilience
