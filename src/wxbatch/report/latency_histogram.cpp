#include "wxbatch/report/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace wxbatch::report {

LatencyHistogram::LatencyHistogram(const LatencyHistogram& other) {
    std::lock_guard lock(other.m_mutex);
    m_buckets = other.m_buckets;
    m_count = other.m_count;
    m_min_us = other.m_min_us;
    m_max_us = other.m_max_us;
}

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& other) {
    if (this != &other) {
        const LatencyHistogram copy(other);
        std::lock_guard lock(m_mutex);
        m_buckets = copy.m_buckets;
        m_count = copy.m_count;
        m_min_us = copy.m_min_us;
        m_max_us = copy.m_max_us;
    }
    return *this;
}

std::size_t LatencyHistogram::bucket_index(std::uint64_t us) {
    if (us < 64) {
        return static_cast<std::size_t>(us);
    }
    const int exponent = std::bit_width(us) - 1;
    if (exponent >= k_max_exponent) {
        return k_bucket_count - 1;
    }
    const std::uint64_t sub = (us >> (exponent - k_sub_bucket_bits)) - 32;
    return 64 + static_cast<std::size_t>(exponent - 6) * 32 + static_cast<std::size_t>(sub);
}

std::uint64_t LatencyHistogram::bucket_lower_us(std::size_t index) {
    if (index < 64) {
        return index;
    }
    const int exponent = 6 + static_cast<int>((index - 64) / 32);
    const std::uint64_t sub = (index - 64) % 32;
    return (32 + sub) << (exponent - k_sub_bucket_bits);
}

std::uint64_t LatencyHistogram::bucket_width_us(std::size_t index) {
    if (index < 64) {
        return 1;
    }
    const int exponent = 6 + static_cast<int>((index - 64) / 32);
    return std::uint64_t{1} << (exponent - k_sub_bucket_bits);
}

void LatencyHistogram::record_ms(double ms) {
    const double us = std::round(ms * 1000.0);
    record_us(us <= 0 ? 0 : us >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(us));
}

void LatencyHistogram::record_us(std::uint64_t us) {
    const std::size_t index = bucket_index(us);
    std::lock_guard lock(m_mutex);
    ++m_buckets[index];
    ++m_count;
    m_min_us = std::min(m_min_us, us);
    m_max_us = std::max(m_max_us, us);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (this == &other) {
        return;
    }
    const LatencyHistogram copy(other);
    std::lock_guard lock(m_mutex);
    for (std::size_t i = 0; i < k_bucket_count; ++i) {
        m_buckets[i] += copy.m_buckets[i];
    }
    m_count += copy.m_count;
    m_min_us = std::min(m_min_us, copy.m_min_us);
    m_max_us = std::max(m_max_us, copy.m_max_us);
}

std::uint64_t LatencyHistogram::count() const {
    std::lock_guard lock(m_mutex);
    return m_count;
}

std::uint64_t LatencyHistogram::bucket_count_at(std::size_t index) const {
    std::lock_guard lock(m_mutex);
    return index < k_bucket_count ? m_buckets[index] : 0;
}

double LatencyHistogram::percentile_locked(double p) const {
    if (m_count == 0) {
        return 0;
    }
    const double clamped = std::clamp(p, 0.0, 100.0);
    const auto rank = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(clamped / 100.0 * static_cast<double>(m_count))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < k_bucket_count; ++i) {
        seen += m_buckets[i];
        if (seen >= rank) {
            const double mid = static_cast<double>(bucket_lower_us(i)) +
                               static_cast<double>(bucket_width_us(i) - 1) / 2.0;
            return std::clamp(mid, static_cast<double>(m_min_us), static_cast<double>(m_max_us)) /
                   1000.0;
        }
    }
    return static_cast<double>(m_max_us) / 1000.0;
}

double LatencyHistogram::percentile_ms(double p) const {
    std::lock_guard lock(m_mutex);
    return percentile_locked(p);
}

LatencyPercentiles LatencyHistogram::percentiles() const {
    std::lock_guard lock(m_mutex);
    return LatencyPercentiles{m_count, percentile_locked(50), percentile_locked(90),
                              percentile_locked(99), static_cast<double>(m_max_us) / 1000.0};
}

}  // namespace wxbatch::report
