#pragma once
// A constant-memory latency histogram with log-scaled buckets (HdrHistogram's layout): values
// are recorded in whole microseconds; below 64 µs each value has its own bucket, above it each
// power of two is split in 32 equal buckets, so a bucket is at most 1/32 of its values wide and
// its midpoint is within 1.6% of any value in it. Range: 0 to 2^40 µs (about 12.7 days);
// larger values land in the last bucket. Thread-safe; histograms merge (per worker, per
// endpoint, then overall).

#include <array>
#include <cstdint>
#include <mutex>

namespace wxbatch::report {

struct LatencyPercentiles {
    std::uint64_t count = 0;
    double p50_ms = 0;
    double p90_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;  // exact
};

class LatencyHistogram {
  public:
    static constexpr int k_sub_bucket_bits = 5;  // 32 buckets per power of two
    static constexpr int k_max_exponent = 40;    // values up to 2^40 - 1 µs
    static constexpr std::size_t k_bucket_count = 64 + (k_max_exponent - 6) * 32;

    LatencyHistogram() = default;
    LatencyHistogram(const LatencyHistogram& other);
    LatencyHistogram& operator=(const LatencyHistogram& other);

    // Records one latency in milliseconds (negative counts as 0).
    void record_ms(double ms);
    void record_us(std::uint64_t us);
    // Adds every value recorded in `other`.
    void merge(const LatencyHistogram& other);

    std::uint64_t count() const;
    // The value at percentile `p` (0..100) by nearest rank, in ms: the midpoint of the bucket
    // holding that rank, clamped to the exact min and max recorded. 0 when empty.
    double percentile_ms(double p) const;
    LatencyPercentiles percentiles() const;

    // The bucket layout, exposed for tests.
    static std::size_t bucket_index(std::uint64_t us);
    static std::uint64_t bucket_lower_us(std::size_t index);
    static std::uint64_t bucket_width_us(std::size_t index);
    std::uint64_t bucket_count_at(std::size_t index) const;

  private:
    double percentile_locked(double p) const;

    mutable std::mutex m_mutex;
    std::array<std::uint64_t, k_bucket_count> m_buckets{};
    std::uint64_t m_count = 0;
    std::uint64_t m_min_us = UINT64_MAX;
    std::uint64_t m_max_us = 0;
};

}  // namespace wxbatch::report
