// The server's model behind RatePacer: a segment's sends replayed through a simulated token
// bucket (fit_rate), the joint model of two segments that learns the burst (model_rate), and
// learning the burst again from two paced segments (relearned_burst).
#include "wxbatch/resilience/rate_pacer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

namespace wxbatch::resilience {

namespace {

constexpr int k_bisections = 40;
// Bursts tried between 1 and the smaller count when two paced segments learn the burst again,
// and the largest relative error of the burst (from a request miscounted in each) accepted.
constexpr int k_relearn_grid = 24;
constexpr double k_relearn_burst_error = 0.1;
constexpr double k_relearn_min_segment_s = 0.5;
// The jitter of a send time as the server sees it when the round trips do not tell it (see
// end_jitter), and the largest relative error a model is given (the cut below a model leaves
// room for its error: see model_error). The first segment,
// its requests reordered on the way, is counted in the server's order (unordered_reference):
// its burst is then within a request or two, its send times as good as a paced segment's.
constexpr double k_send_jitter_s = 0.002;
// The same for the unlimited first segment (ReferenceSegment::unpaced): every lane sends at once,
// most on a connection opening, and a few cores take their turns. A joint model with it within
// 0.2-0.3% by 2 ms said 502/s for 500 in three bench runs of ten (a burst of 46-48 for 50), and
// each of them paused once more within the 42-s job.
constexpr double k_unpaced_jitter_s = 0.006;
// The same when its times count from the first arrival (ReferenceSegment::arrivals): what was
// left of the 6 ms is the first requests' late arrival (7 ms in a bench run), which the round
// trips tell within half a millisecond there; the first wave's own spread remains.
constexpr double k_arrival_jitter_s = 0.003;
constexpr double k_max_model_error = 0.2;
// A paced segment's end as the server saw it is told by the round trips of its last sends
// (end_jitter): their spread bounds how much later than the others the refused request may
// have reached the server. Over this many sends, with at least this many answered; never
// under the floor (the server's own scheduling between arrival and its bucket).
constexpr std::size_t k_jitter_sends = 16;
constexpr int k_min_jitter_round_trips = 8;
constexpr double k_min_end_jitter_s = 0.0005;

}  // namespace

std::optional<double> RatePacer::fit_rate(const std::vector<double>& sends, double burst,
                                          std::size_t rejected) {
    // The index of the first send a bucket (rate, burst) refuses among sends[0..rejected].
    auto first_refused = [&](double rate) {
        double tokens = burst;
        double last = sends.front();
        for (std::size_t i = 0; i <= rejected; ++i) {
            const double t = sends[i];
            if (t > last) {
                tokens = std::min(burst, tokens + (t - last) * rate);
                last = t;
            }
            if (tokens < 1 - 1e-9) {
                return i;
            }
            tokens -= 1;
        }
        return rejected + 1;
    };
    const double span = std::max(k_min_segment_s, sends[rejected] - sends.front());
    double lo = 0;
    double hi = 4.0 * static_cast<double>(rejected + 1) / span + 1.0;
    if (first_refused(lo) >= rejected || first_refused(hi) < rejected) {
        return std::nullopt;  // within the burst whatever the rate, or no rate explains it
    }
    for (int i = 0; i < k_bisections; ++i) {
        const double mid = (lo + hi) / 2;
        (first_refused(mid) >= rejected ? hi : lo) = mid;
    }
    return hi;
}

// A rate counted as `admitted` requests over `span` seconds is off by the requests miscounted at
// the ends of the span (`off`) and by the jitter of the send times as the server saw them
// (`jitter_s`: the lanes' wake-ups, the server's scheduling, new connections). Each bounds its
// own error, and they add at their worst: R = (A - B) / t from one segment also carries the
// error of the burst learned before, which this does not count.
double RatePacer::model_error(double admitted, double span, double off, double jitter_s) {
    if (admitted < 1 || span <= 0) {
        return k_max_model_error;
    }
    return std::min(k_max_model_error, off / admitted + jitter_s / span);
}

// The joint model's R comes from what the longer segment admitted beyond the shorter one,
// `difference` requests over `span` seconds more, and counts all its errors: the fraction of a
// token each bucket held at its segment's end (their difference within one request either way),
// and the jitter of each segment's times as the server saw them (`jitter_s` for this one's end,
// `earlier_jitter_s` for the earlier one's). The three are independent, so they combine as the
// root of their squares: summed, each at its worst at once, they said 0.3-0.9% in bench runs
// where the model came within 0.12% of the server's rate, and the rate was paced that much
// under the limit for most of the job.
double RatePacer::joint_model_error(double difference, double span, double jitter_s,
                                    double earlier_jitter_s) {
    if (difference < 1 || span <= 0) {
        return k_max_model_error;
    }
    return std::min(k_max_model_error,
                    std::hypot(1 / difference, jitter_s / span, earlier_jitter_s / span));
}

std::optional<double> RatePacer::end_jitter(const SegmentRecord& record, std::size_t rejected,
                                            double answered_s) {
    if (rejected >= record.sends.size()) {
        return std::nullopt;
    }
    const std::size_t from = rejected + 1 > k_jitter_sends ? rejected + 1 - k_jitter_sends : 0;
    double fastest = 0;
    double slowest = 0;
    int known = 0;
    for (std::size_t i = from; i <= rejected; ++i) {
        const double round_trip = record.round_trips[i];
        if (round_trip >= 0) {
            fastest = known == 0 ? round_trip : std::min(fastest, round_trip);
            slowest = std::max(slowest, round_trip);
            ++known;
        } else if (record.answers[i] == k_unanswered) {
            // Still in flight when the 429 came back: at least this slow.
            slowest = std::max(slowest, answered_s - record.sends[i]);
        }
    }
    if (known < k_min_jitter_round_trips) {
        return std::nullopt;
    }
    return std::max(k_min_end_jitter_s, slowest - fastest);
}

std::optional<RatePacer::ReferenceSegment> RatePacer::arrival_order(const SegmentRecord& record,
                                                                    std::size_t rejected) {
    if (rejected >= record.sends.size()) {
        return std::nullopt;
    }
    std::vector<float> known;
    for (std::size_t i = 0; i <= rejected; ++i) {
        if (record.round_trips[i] >= 0) {
            known.push_back(record.round_trips[i]);
        }
    }
    if (known.size() < static_cast<std::size_t>(k_min_jitter_round_trips)) {
        return std::nullopt;
    }
    const auto middle = known.begin() + static_cast<std::ptrdiff_t>(known.size() / 2);
    std::nth_element(known.begin(), middle, known.end());
    const double typical = *middle;
    auto arrival = [&](std::size_t i) {
        const double round_trip = record.round_trips[i];
        return record.sends[i] + (round_trip >= 0 ? std::max(0.0, round_trip - typical) : 0.0);
    };
    ReferenceSegment segment;
    const double end = arrival(rejected);
    for (std::size_t i = 0; i < rejected; ++i) {
        if (const double t = arrival(i); t <= end) {
            segment.sends.push_back(t);
        }
    }
    std::sort(segment.sends.begin(), segment.sends.end());
    segment.rejected = segment.sends.size();
    segment.sends.push_back(end);
    return segment;
}

double RatePacer::dated_rate(double planned, double burst, std::size_t rejected) const {
    const auto dated = arrival_order(m_current, rejected);
    if (!dated || static_cast<double>(dated->rejected) <= burst) {
        return planned;
    }
    const auto rate = fit_rate(dated->sends, burst, dated->rejected);
    return rate && std::abs(*rate - planned) <= m_model_error * planned ? *rate : planned;
}

std::optional<double> RatePacer::model_rate(std::size_t rejected, double segment_s,
                                            bool contradicted, double answered_s) {
    const double admitted = static_cast<double>(rejected);
    // The jitter of this segment's end, from its round trips when enough are known.
    m_end_jitter_s = end_jitter(m_current, rejected, answered_s);
    const double jitter_s = m_end_jitter_s.value_or(k_send_jitter_s);
    m_joint = false;
    // A 429 while sending below the modelled rate contradicts the model: the limit dropped, or
    // the burst was learned wrong (from a first segment whose requests reached the server out of
    // order, every lane starting at once: each later R = (A - B) / t is then high, and each
    // probe of it costs a pause). When the last paced segment also ended in a contradiction,
    // the two learn the burst again, where they determine it. A drop contradicts the model once
    // with a segment that ran mostly at the old limit: that one and the one before it would
    // learn a wrong burst, so a single contradiction is not enough; the segment right after a
    // drop is short, and the burst learned before serves.
    if (m_burst && contradicted && m_last_paced && m_last_paced_contradicted) {
        if (const auto burst = relearned_burst(*m_last_paced, rejected, segment_s)) {
            // Both ends dated by their round trips where they told it.
            if (const auto rate =
                    learn_burst(*burst, *m_last_paced, rejected, segment_s, jitter_s,
                                m_last_paced->end_jitter_s.value_or(k_send_jitter_s))) {
                return rate;
            }
        }
    }
    // A burst already learned: this segment gives R alone (the limit may have changed since
    // the first segment, the burst seldom does).
    if (m_burst && *m_burst < admitted) {
        if (const auto rate = fit_rate(m_current.sends, *m_burst, rejected)) {
            m_model_error = model_error(admitted - *m_burst, segment_s, 1, jitter_s);
            return dated_rate(*rate, *m_burst, rejected);
        }
    }
    // The joint model: the B for which the first segment and this one, each replayed through a
    // bucket (R, B), need the same R. Whatever the segments' shapes (a slow start, a burst, a
    // climb). Well conditioned only when this segment is clearly longer than the first.
    if (!m_reference || segment_s < k_min_length_ratio * m_reference->length_s) {
        return std::nullopt;
    }
    const ReferenceSegment& first = *m_reference;  // the shorter of the two
    // h(B) = R1(B) - R(B): positive for a small burst (the short first segment then needs the
    // larger rate), negative for a large one; nullopt where a segment cannot be explained.
    auto h = [&](double burst) { return rate_difference(first, rejected, burst); };
    double hi = std::min(static_cast<double>(first.rejected), admitted) - 0.5;
    double lo = 1;
    while (lo < hi && !h(lo)) {
        lo = std::min(hi, lo * 1.5 + 1);  // the smallest burst that explains both
    }
    const auto h_lo = h(lo);
    if (!h_lo || lo >= hi) {
        return std::nullopt;
    }
    double burst = lo;
    if (*h_lo > 0) {
        const auto h_hi = h(hi);
        if (h_hi && *h_hi > 0) {
            burst = hi;
        } else {
            for (int i = 0; i < k_bisections; ++i) {
                const double mid = (lo + hi) / 2;
                const auto h_mid = h(mid);
                (h_mid && *h_mid > 0 ? lo : hi) = mid;
            }
            burst = lo;
        }
    }
    return learn_burst(burst, first, rejected, segment_s, jitter_s,
                       !first.unpaced   ? k_send_jitter_s
                       : first.arrivals ? k_arrival_jitter_s
                                        : k_unpaced_jitter_s);
}

std::optional<double> RatePacer::rate_difference(const ReferenceSegment& earlier,
                                                 std::size_t rejected, double burst) const {
    const auto r_earlier = fit_rate(earlier.sends, burst, earlier.rejected);
    const auto r_this = fit_rate(m_current.sends, burst, rejected);
    if (!r_earlier || !r_this) {
        return std::nullopt;
    }
    return *r_earlier - *r_this;
}

std::optional<double> RatePacer::learn_burst(double burst, const ReferenceSegment& earlier,
                                             std::size_t rejected, double segment_s,
                                             double jitter_s, double earlier_jitter_s) {
    const auto rate = fit_rate(m_current.sends, burst, rejected);
    if (rate) {
        m_burst = burst;
        m_counters.burst = burst;
        m_joint = true;
        m_joint_reference_s = earlier.length_s;
        // Each count is exact (the requests sent before the first refused one) but for the
        // fraction of a token its bucket held at the end, between 0 and 1.
        m_model_error = joint_model_error(
            std::abs(static_cast<double>(rejected) - static_cast<double>(earlier.rejected)),
            std::abs(segment_s - earlier.length_s), jitter_s, earlier_jitter_s);
        return dated_rate(*rate, burst, rejected);
    }
    return rate;
}

std::optional<double> RatePacer::relearned_burst(const ReferenceSegment& ref, std::size_t rejected,
                                                 double segment_s) const {
    const double t_short = std::min(ref.length_s, segment_s);
    const double t_long = std::max(ref.length_s, segment_s);
    const bool ref_shorter = ref.length_s <= segment_s;
    // h(B): the rate the shorter segment needs with a burst B, less the one the longer needs.
    auto h = [&](double burst) -> std::optional<double> {
        const auto d = rate_difference(ref, rejected, burst);
        if (!d) {
            return std::nullopt;
        }
        return ref_shorter ? *d : -*d;
    };
    const double lo = 1;
    const double hi =
        std::min(static_cast<double>(ref.rejected), static_cast<double>(rejected)) - 0.5;
    // Both segments long enough for a burst to be told from the fine grain of the send times
    // (in a short one, a small burst fits the gaps between sends: a segment right after a drop
    // "explained" the one before it with a burst of 3).
    if (t_short < k_relearn_min_segment_s || hi <= lo) {
        return std::nullopt;
    }
    // Exactly one change of sign over a geometric grid of bursts (several: the two segments do
    // not tell the bursts apart), then bisection within it.
    const double step = std::pow(hi / lo, 1.0 / k_relearn_grid);
    std::optional<double> h_prev = h(lo);
    double prev = lo;
    int crossings = 0;
    double a = 0;
    double b = 0;
    bool positive_below = false;  // the sign of h at a
    for (int i = 1; i <= k_relearn_grid; ++i) {
        const double x = i == k_relearn_grid ? hi : lo * std::pow(step, i);
        const std::optional<double> h_x = h(x);
        if (h_prev && h_x && (*h_prev > 0) != (*h_x > 0)) {
            ++crossings;
            a = prev;
            b = x;
            positive_below = *h_prev > 0;
        }
        prev = x;
        h_prev = h_x;
    }
    if (crossings != 1) {
        return std::nullopt;
    }
    for (int i = 0; i < k_bisections; ++i) {
        const double mid = (a + b) / 2;
        const auto h_mid = h(mid);
        if (!h_mid) {
            return std::nullopt;
        }
        if ((*h_mid > 0) == positive_below) {
            a = mid;
        } else {
            b = mid;
        }
    }
    const double burst = (a + b) / 2;
    // Steep enough: a request miscounted in each segment (1/t of rate each) moves the burst by
    // less than a tenth of it. Two steady segments of clearly different lengths are; a climb
    // and a steady segment seldom are.
    const auto h_below = h(0.9 * burst);
    const auto h_above = h(1.1 * burst);
    if (!h_below || !h_above) {
        return std::nullopt;
    }
    const double slope = std::abs(*h_above - *h_below) / (0.2 * burst);
    const double count_error = 1 / t_short + 1 / t_long;
    if (slope <= 0 || count_error / slope > k_relearn_burst_error * burst) {
        return std::nullopt;
    }
    return burst;
}

}  // namespace wxbatch::resilience
