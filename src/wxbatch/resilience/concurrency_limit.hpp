#pragma once
// How many row requests may be in flight at once. The operator sets the ceiling
// (--max-inflight-requests); the limit in force follows Little's law once the RatePacer has
// learned the server's rate: in flight = rate x latency, with headroom so that the pacer, not
// the number of lanes, sets the pace. Until a rate is known (no 429 yet) the ceiling applies.
// Lanes above the limit wait here, holding no connection slot and sending nothing. Thread-safe.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace wxbatch::resilience {

struct ConcurrencySettings {
    int floor = 1;    // never fewer in flight (the number of batches in flight)
    int ceiling = 1;  // never more (the operator's --max-inflight-requests)
    // In flight = rate x latency x headroom + 1: absorbs latency jitter and the pacer's bursts.
    double headroom = 1.5;
    // Weight of a new latency sample in the moving average.
    double latency_weight = 0.1;
};

// The limit for a learned `rate` (requests/s, nullopt = unlimited) and `latency_s`, clamped to
// [floor, ceiling]. Pure: the rule the class applies, exposed for tests and `wxbatch policy`.
int concurrency_needed(const ConcurrencySettings& settings, std::optional<double> rate,
                       double latency_s);

class ConcurrencyLimit {
  public:
    explicit ConcurrencyLimit(ConcurrencySettings settings = {});

    void configure(const ConcurrencySettings& settings);

    // Waits until fewer than limit() slots are taken, then takes one. Returns false (no slot
    // taken) as soon as `stop` is set.
    bool acquire(const std::atomic<bool>& stop);
    void release();

    // A request took `seconds` (fed by every lane; an exponential moving average).
    void observe_latency(double seconds);
    // The pacer's current rate (nullopt = unlimited): recomputes the limit.
    void set_rate(std::optional<double> rate);

    int limit() const;
    int in_use() const;
    int peak_in_use() const;
    double latency_s() const;

  private:
    void recompute_locked();

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    ConcurrencySettings m_settings;
    std::optional<double> m_rate;
    double m_latency_s = 0;  // 0 = no sample yet
    int m_limit = 1;
    int m_in_use = 0;
    int m_peak = 0;
};

}  // namespace wxbatch::resilience
