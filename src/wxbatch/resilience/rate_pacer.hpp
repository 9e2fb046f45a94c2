#pragma once
// The client-side pacer behind RateGovernor::acquire: a send-time scheduler (GCRA, the
// "virtual scheduling" form of a token bucket) whose rate is learned from the server's 429s.
// Unlimited until the first 429: then the rate becomes a fraction of the rate the server was
// seen to admit (multiplicative decrease), and grows by a small step every quiet interval
// (additive increase). A server token bucket (rate R, burst B) that is full when sending starts
// answers the first 429 after t = B / (s - R) at a send rate s > R; two such "draining"
// segments at different rates give B, and once B is known every later 429 gives
// R = (admitted - B) / t. Pure: time is an argument; not thread-safe (the governor locks).

#include <optional>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

// How the pacer learns. The defaults aim at a 429 share well under 1% with Webex-like limits
// (a token bucket of a few hundred requests per second and a 1 s Retry-After).
struct PacingSettings {
    bool enabled = true;
    // The new rate after a 429 is `decrease_factor` times the admitted rate (or the current
    // rate, if lower).
    double decrease_factor = 0.9;
    // Used instead when the 429 came less than `quick_429_s` of sending after the last pause
    // ended and the server's burst is not known yet: the rate was far above the limit.
    double quick_decrease_factor = 0.7;
    double quick_429_s = 1.0;
    // Used instead once the server's burst is known: the admitted rate is then measured, not
    // bounded, so a small margin suffices.
    double learned_decrease_factor = 0.98;
    // Segments (from a pause's end to the next 429) no longer than this are assumed to drain
    // the server's bucket from full to empty, and two of them are used to learn the burst.
    double draining_segment_s = 3.0;
    // Every `increase_interval_s` without a 429 the rate grows by `increase_step` times the
    // rate set at the last decrease.
    double increase_interval_s = 1.0;
    double increase_step = 0.02;
    // The step once the server's burst is known (the rate is then close to the limit).
    double learned_increase_step = 0.001;
    // The rate never goes below this (requests per second).
    double min_rate = 1.0;
    // How far ahead of its slot a request may go (absorbs the jitter of the workers).
    double tolerance_s = 0.02;
};

// What the pacer knows of one request it let through: its sending segment, its place in it and
// its send slot. Handed back with a 429, it gives the exact number of requests the server had
// admitted when its bucket ran dry (those sent before this one) and when that was (this one's
// send time), where counting at the 429's arrival would also count the requests still in flight.
struct PaceTicket {
    long segment = -1;  // -1: no ticket
    long seq = 0;       // 1 for the segment's first request
    MonoTime sent_at{};
};

// Counters of the pacer (exposed through GovernorCounters).
struct PacerCounters {
    double rate = 0;          // the current rate in requests per second; 0 = unlimited
    long decreases = 0;       // 429s that lowered the rate
    long increases = 0;       // additive steps taken
    long paced_waits = 0;     // acquires that had to wait for their slot
    double paced_wait_s = 0;  // the sum of those waits
    double burst = 0;         // the server's burst as learned; 0 = not known
};

class RatePacer {
  public:
    explicit RatePacer(PacingSettings settings = {});

    // Replaces the settings; the learned rate is kept.
    void configure(const PacingSettings& settings) { m_settings = settings; }
    const PacingSettings& settings() const { return m_settings; }

    // Reserves the next send slot for a request that is ready at `now` and returns how long
    // the caller must wait for it (0 when it may send at once). Counts the request as sent.
    // `ticket`, when given, receives the request's PaceTicket.
    Duration reserve(MonoTime now, PaceTicket* ticket = nullptr);

    // A 429 arrived at `now`. `in_pause` is true when a pause was already running: such 429s
    // answer requests sent before the pause and teach nothing new; so do 429s whose `ticket`
    // is from an earlier segment. Returns true when the rate was lowered.
    bool on_rate_limited(MonoTime now, bool in_pause, const PaceTicket* ticket = nullptr);

    // A pause (Retry-After) ends at `until`: the next sending segment starts then.
    void on_pause(MonoTime until);

    // The current rate (requests per second) at `now`, or nullopt while unlimited.
    std::optional<double> rate(MonoTime now);

    PacerCounters counters() const;

  private:
    // Applies the additive steps due at `now`.
    void grow(MonoTime now);
    // The server's admitted rate estimated from the segment that just ended in a 429; learns
    // the burst from it and the previous draining segment when they allow.
    double estimate_admitted(double admitted, double segment_s);

    PacingSettings m_settings;
    std::optional<double> m_rate;
    double m_base_rate = 0;    // the rate set at the last decrease
    MonoTime m_last_change{};  // the last decrease or increase step
    MonoTime m_tat{};          // the theoretical arrival time of the next request
    bool m_started = false;
    MonoTime m_segment_start{};  // the first send, or the end of the last pause
    long m_segment_id = 0;       // grows with each pause (PaceTicket::segment)
    long m_segment_sent = 0;     // requests sent since the segment started
    long m_segment_limited = 0;  // 429s received since the segment started
    double m_prev_rate = 0;      // the send rate of the previous draining segment (0 = none)
    double m_prev_s = 0;         // and its length
    std::optional<double> m_burst;
    PacerCounters m_counters;
};

}  // namespace wxbatch::resilience
