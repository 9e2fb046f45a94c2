#pragma once
// The client-side pacer behind RateGovernor::acquire: a send-time scheduler (GCRA, the
// "virtual scheduling" form of a token bucket) whose rate is learned from the server's 429s.
//
// Unlimited until the first 429. The server is modelled as a token bucket (rate R, burst B),
// full when a sending segment starts (the first send, or the end of a Retry-After pause). Each
// request carries a PaceTicket; the ticket of the request that got a segment's first 429 says
// how many requests the server had admitted when its bucket ran dry (those sent before it) and
// when. The unlimited first segment, whose requests leave together and reach the server in any
// order, is counted again once all its answers are in: the requests not refused that were sent
// before its last refused one. A segment's sends, replayed through a simulated bucket of burst B,
// give the R for which exactly that request is the first refused; the first segment and a later
// one, replayed with the same (R, B), give both, and once B is known a single segment gives R. The
// rate is then set just under R and grows very slowly (probing costs a whole Retry-After per 429),
// more slowly past R as later models confirm it.
// When the model does not apply (no ticket, inconsistent data), a multiplicative decrease from
// the admitted rate stands in. Pure: time is an argument; not thread-safe (the governor locks).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

// How the pacer learns. The defaults aim at a 429 share well under 1% with Webex-like limits
// (a token bucket of a few hundred requests per second and a 1 s Retry-After).
struct PacingSettings {
    bool enabled = true;
    // Requests per second to start at (0 = unlimited until the first 429). It is a starting
    // point: 429s still lower it and quiet periods still raise it, by `unsure_increase_step`
    // (the server is not modelled then: paced segments alone do not tell its burst).
    double initial_rate = 0;
    // The first 429 (the rate was unlimited): the new rate is this times the admitted rate.
    double quick_decrease_factor = 0.7;
    // Once the server's rate is modelled: this, less the model's own relative error e (one
    // request and a few milliseconds over what it was counted on), times the modelled rate.
    // A trusted model's cut sets (1 - e) times the modelled rate instead and holds it until the
    // probe (see increase_interval_s), scheduled from this cut, overtakes it.
    double learned_decrease_factor = 0.995;
    // When the model does not apply: this times min(current rate, admitted rate).
    double decrease_factor = 0.9;
    // Every `increase_interval_s` without a 429 the rate grows: by `increase_step` of itself
    // (compounding: an early estimate may be well below the limit, and the 429 that ends this
    // climb is the one that lets the server be modelled: the sooner the better; faster, and in
    // tenths of the interval, from a first estimate that rests on few answers) until the
    // server's rate is modelled; by `unsure_increase_step` of the rate set at the last decrease
    // after a model from a short segment (near the limit, not sure how near); once the model is
    // trusted, by its own relative error over 30 s, at least `learned_increase_step` (probing
    // gently: each 429 costs a whole Retry-After); past the modelled rate, by
    // `learned_increase_step` alone, and half as fast for each later model in a row that agrees
    // with the one before (at most 1/8: the limit held).
    double increase_interval_s = 1.0;
    double increase_step = 0.10;
    double unsure_increase_step = 0.01;
    double learned_increase_step = 0.0002;
    // The rate never goes below this (requests per second).
    double min_rate = 1.0;
    // How far ahead of its slot a request may go (absorbs the jitter of the workers). Kept
    // small: when a pause ends, rate x tolerance requests go at once.
    double tolerance_s = 0.005;
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
    double rate = 0;           // the current rate in requests per second; 0 = unlimited
    long decreases = 0;        // 429s that lowered the rate
    long increases = 0;        // additive steps taken
    long paced_waits = 0;      // acquires that had to wait for their slot
    double paced_wait_s = 0;   // the sum of those waits
    double burst = 0;          // the server's burst as modelled; 0 = not known
    double modelled_rate = 0;  // the server's rate as modelled; 0 = not known
    long adjustments = 0;      // decisions that set the rate (decreases and window estimates)
};

class RatePacer {
  public:
    explicit RatePacer(PacingSettings settings = {});

    // Replaces the settings; the learned rate is kept (an initial rate applies while unlimited).
    void configure(const PacingSettings& settings);
    const PacingSettings& settings() const { return m_settings; }

    // Reserves the next send slot for a request that is ready at `now` and returns how long
    // the caller must wait for it (0 when it may send at once). Counts the request as sent.
    // `ticket`, when given, receives the request's PaceTicket.
    Duration reserve(MonoTime now, PaceTicket* ticket = nullptr);

    // A 429 arrived at `now`. `in_pause` is true when a pause was already running: such 429s
    // answer requests sent before the pause and teach nothing new; so do 429s whose `ticket`
    // is from an earlier segment. Returns true when the rate was lowered.
    bool on_rate_limited(MonoTime now, bool in_pause, const PaceTicket* ticket = nullptr);

    // A request got an answer other than 429 (the server's limiter admitted it), at
    // `answered_at` when known: the round trips of the unlimited first segment tell when its
    // requests reached the server (see unordered_reference).
    void on_admitted(const PaceTicket& ticket, std::optional<MonoTime> answered_at = std::nullopt);

    // A pause (Retry-After) ends at `until`: the next sending segment starts then.
    void on_pause(MonoTime until);

    // The current rate (requests per second) at `now`, or nullopt while unlimited.
    std::optional<double> rate(MonoTime now);

    PacerCounters counters() const;
    // What the last adjustment was based on, in a few words with its figures (for the log).
    const std::string& basis() const { return m_basis; }
    // The relative error of the last model of the server's rate (0 before the first).
    double modelled_error() const { return m_model_error; }

  private:
    struct ReferenceSegment {
        double length_s = 0;        // t1
        std::vector<double> sends;  // its send times, as m_current.sends
        std::size_t rejected = 0;   // the index of its refused request in `sends`
        // The unlimited first segment: its lanes sent together, on new connections, and the
        // server saw its send times later by up to a few milliseconds.
        bool unpaced = false;
        // Its times count from the first request's arrival at the server (as the round trips
        // tell), not from the first send.
        bool arrivals = false;
        // A paced segment's end as its round trips dated it (end_jitter), when they did.
        std::optional<double> end_jitter_s = std::nullopt;
    };
    // A segment's send times and what the server answered to each, kept past the segment's end:
    // the answers to its last requests come back during the pause that ends it.
    struct SegmentRecord {
        long id = -1;
        std::vector<double> sends;         // seconds after the segment's start, in ticket order
        std::vector<signed char> answers;  // per send: k_unanswered, k_admitted or k_refused
        std::vector<float> round_trips;    // per send: seconds from it to its answer; < 0: unknown
        long dropped = 0;                  // the segment's first sends no longer kept
        // The index into `sends` of the request `seq` (1 for the first), when it is kept.
        std::optional<std::size_t> index_of(long seq) const;
    };
    // The shortest sending segment used to compute an admitted rate (avoids dividing by zero).
    static constexpr double k_min_segment_s = 0.001;
    // The burst is (re)learned from segments at least this many times longer than the first
    // one: B = A1 - R t1 and R = fit(B) are too close to parallel otherwise.
    static constexpr double k_min_length_ratio = 1.5;
    // A cut modelled with a burst learned earlier is trusted (gentle growth after it) when its
    // segment lasted this long: R's error is then at most the burst's error over this. A first
    // segment shorter than this was a burst (sending was not bound by concurrency).
    static constexpr double k_confident_segment_s = 1.0;
    static constexpr signed char k_unanswered = 0;
    static constexpr signed char k_admitted = 1;
    static constexpr signed char k_refused = -1;
    // The answers to the requests sent after a segment's first 429'd request (in flight when
    // its 429 came back): the server's bucket was dry, so it admitted them at its rate R. Read
    // when sending starts again, after the first 429 (then an estimate far better than a share
    // of the first segment's rate) and after each cut not from a trusted model (a short
    // segment's model is only as good as the burst learned before, and a short segment means a
    // large excess: the window is then most telling).
    struct Window {
        long segment = -1;
        double from_s = 0;  // the refused request's send time, after the segment's start
        bool applied = false;
        // 0: lower the rate to the estimate and climb from it (the first 429, and a segment as
        // short as the reference: the rate was far above the limit); otherwise the rate before
        // the cut: raise the rate towards the estimate, never above this.
        double raise_up_to = 0;
        // The window's segment is the unlimited first one: it is also read again in the
        // server's order (unordered_reference).
        bool first = false;
    };
    // What a window of answers says of the server's rate.
    struct WindowEstimate {
        double rate = 0;
        long admitted = 0;
        long refused = 0;
        double span_s = 0;
    };
    // Keeps `answer`, which came at `answered_at` when known, for the request of `ticket` (this
    // segment's or the last one's).
    void record_answer(const PaceTicket& ticket, signed char answer,
                       std::optional<MonoTime> answered_at);
    void apply_window();
    // The estimate from the answers to the requests sent after a refused one, itself sent at
    // `from_s` or later: requests sent together may reach the server in any order, so each
    // refused request is a candidate start (the bucket was dry when it arrived) and the lowest
    // estimate over the longer windows stands (a request that arrived late, its bucket dry,
    // makes the burst's last requests look admitted at R: an estimate far too high). After the
    // first segment's burst (`burst`), so is each admitted send right after the first refused
    // one, before any other refused: what was left of the burst when that one arrived late.
    static std::optional<WindowEstimate> window_rate(const SegmentRecord& record, double from_s,
                                                     bool burst);
    // The unlimited first segment as the server saw it, whatever order its requests reached it
    // in: the requests not refused that were sent before its last refused one, then that one
    // (the bucket was dry when it arrived). Counting up to the first refused request instead
    // misses every request sent after it that arrived before it (20 of 61 in a bench run).
    // When the round trips are known, its times count from the first arrival (the server's
    // bucket was full then): in a bench run the lanes' first requests, each opening its
    // connection, reached the server 7-15 ms after they were sent (the later ones 0.1 ms after),
    // and counted from the first send the burst came out 46 for 50, the rate 502 for 500.
    static std::optional<ReferenceSegment> unordered_reference(const SegmentRecord& record);
    // A paced segment as the server saw it, its request at `rejected` the first refused: each
    // send dated later by its round trip's excess over the segment's median one (a request
    // whose answer took longer reached the server up to that much later: a lane that woke
    // late), in the order so dated; the requests before the refused one that, so dated,
    // reached the server after it are not counted. Nullopt when too few round trips are known.
    // Its fine grain lets a tiny burst at a high rate explain it: the burst is learned from
    // the send times as planned, and only the rate, for that burst, from these (dated_rate).
    static std::optional<ReferenceSegment> arrival_order(const SegmentRecord& record,
                                                         std::size_t rejected);
    // The rate for `burst` of this segment as the server saw it (arrival_order, its request at
    // `rejected` the first refused), when it is within the model's error of the rate from the
    // send times as planned (`planned`); else `planned`.
    double dated_rate(double planned, double burst, std::size_t rejected) const;

    // The first send (or 429, or pause): the first segment and the clock of the increase start.
    void start(MonoTime now);
    // Applies the additive steps due at `now`.
    void grow(MonoTime now);
    // The probe's step per increase interval after a trusted model's cut (a share of the rate
    // set then).
    double probe_step() const;
    // The server's rate from this segment's sends, the request at `rejected` (an index into
    // m_current.sends) being the first one refused, with the first segment (which also learns the
    // burst) or with the burst learned before; nullopt when the model does not apply.
    // `contradicted`: the 429 came while sending below the modelled rate.
    // `answered_s`: when the 429 came back, after the segment's start.
    std::optional<double> model_rate(std::size_t rejected, double segment_s, bool contradicted,
                                     double answered_s);
    // How much later than the sends before it the server may have seen the refused request at
    // `rejected`: the spread of the round trips of the last sends up to it (one still in flight
    // at `answered_s` took at least that long); nullopt when too few are known.
    static std::optional<double> end_jitter(const SegmentRecord& record, std::size_t rejected,
                                            double answered_s);
    // The burst for which `ref` (the last paced segment) and this one need the same rate, where
    // the two determine it (one such burst, and a request miscounted moves it by less than a
    // tenth); nullopt otherwise.
    std::optional<double> relearned_burst(const ReferenceSegment& ref, std::size_t rejected,
                                          double segment_s) const;
    // The rate `earlier` needs with a bucket of `burst`, less the one this segment needs (its
    // request at `rejected` the first refused); nullopt where either cannot be explained.
    std::optional<double> rate_difference(const ReferenceSegment& earlier, std::size_t rejected,
                                          double burst) const;
    // Takes `burst` as learned by the joint model of `earlier` and this segment; returns this
    // segment's rate (nullopt, and nothing learned, when no rate explains it). `jitter_s`,
    // `earlier_jitter_s`: of this segment's and the earlier one's send times, as the server saw
    // them.
    std::optional<double> learn_burst(double burst, const ReferenceSegment& earlier,
                                      std::size_t rejected, double segment_s, double jitter_s,
                                      double earlier_jitter_s);
    // The relative error of a rate counted as `admitted` requests over `span` seconds.
    static double model_error(double admitted, double span, double off, double jitter_s);
    // The relative error of the joint model's rate, counted as `difference` requests over
    // `span` seconds more in the longer segment than in the shorter.
    static double joint_model_error(double difference, double span, double jitter_s,
                                    double earlier_jitter_s);
    // The smallest rate at which a bucket of `burst`, full at the segment's start, admits every
    // send before `rejected`; nullopt when none or any would.
    static std::optional<double> fit_rate(const std::vector<double>& sends, double burst,
                                          std::size_t rejected);

    // How far ahead of its slot a request may go: the operator's tolerance, or the time the
    // burst to spend takes at the current rate when longer.
    double tolerance_s() const;

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
    // This segment's sends and answers (its id is set when it ends); the oldest are dropped
    // past k_max_sends. Then the last segment that sent anything, once it ended.
    SegmentRecord m_current;
    SegmentRecord m_previous;
    // The reference segment of the joint model: the first one, or, until a model exists, a
    // later one shorter than it.
    std::optional<ReferenceSegment> m_reference;
    // The last segment that was paced from its start and ended in a 429: when its 429 and the
    // next one both contradict the model, the two may learn the burst again.
    std::optional<ReferenceSegment> m_last_paced;
    bool m_last_paced_contradicted = false;  // its 429 contradicted the model
    double m_joint_reference_s = 0;          // the earlier segment of the last joint model
    Window m_window;
    std::optional<double> m_burst;
    // The last cut came from a model to trust (the joint one, or a segment long enough for the
    // burst's uncertainty not to matter): grow gently. Otherwise grow as before a model.
    bool m_confident = false;
    bool m_joint = false;  // model_rate() just (re)learned the burst
    // Trusted models in a row, each agreeing with the one before: the probe past the modelled
    // rate slows with each (the limit has held; every 429 of a probe costs a pause).
    int m_confirmations = 0;
    double m_model_error = 0;  // the relative error of model_rate()'s last rate
    // The jitter of the last modelled segment's end, when its round trips told it.
    std::optional<double> m_end_jitter_s;
    // How long the rate holds after the last cut before growing, from the end of the pause
    // that follows it (0: grows from there at once).
    double m_hold_s = 0;
    // Requests a trusted model lets go at once ahead of their slots (a share of the modelled
    // burst): when a pause ends, the server's bucket is full, and paced at its rate it would
    // stay so, its tokens never used. 0: only the operator's tolerance.
    double m_burst_spend = 0;
    // The climb per increase interval from the first estimate, until the next 429; 0: none.
    double m_window_climb = 0;
    PacerCounters m_counters;
    std::string m_basis;
};

}  // namespace wxbatch::resilience
