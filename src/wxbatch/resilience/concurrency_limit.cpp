#include "wxbatch/resilience/concurrency_limit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace wxbatch::resilience {

namespace {

// acquire() re-checks the stop flag at least this often.
constexpr auto k_stop_poll = std::chrono::milliseconds(50);

}  // namespace

int concurrency_needed(const ConcurrencySettings& settings, std::optional<double> rate,
                       double latency_s) {
    const int ceiling = std::max(1, settings.ceiling);
    const int floor = std::clamp(settings.floor, 1, ceiling);
    if (!rate || *rate <= 0 || latency_s <= 0) {
        return ceiling;  // nothing learned: the operator's ceiling
    }
    // The epsilon keeps an exact product (500 x 0.02 x 1.5 = 15) from rounding up to 16.
    const double needed =
        std::ceil(*rate * latency_s * std::max(1.0, settings.headroom) - 1e-9) + 1;
    if (!std::isfinite(needed) || needed >= ceiling) {
        return ceiling;
    }
    return std::max(floor, static_cast<int>(needed));
}

ConcurrencyLimit::ConcurrencyLimit(ConcurrencySettings settings) {
    configure(settings);
}

void ConcurrencyLimit::configure(const ConcurrencySettings& settings) {
    std::lock_guard lock(m_mutex);
    m_settings = settings;
    recompute_locked();
}

void ConcurrencyLimit::recompute_locked() {
    const int before = m_limit;
    m_limit = concurrency_needed(m_settings, m_rate, m_latency_s);
    if (m_limit > before) {
        m_cv.notify_all();
    }
}

bool ConcurrencyLimit::acquire(const std::atomic<bool>& stop) {
    std::unique_lock lock(m_mutex);
    while (m_in_use >= m_limit) {
        if (stop.load(std::memory_order_acquire)) {
            return false;
        }
        m_cv.wait_for(lock, k_stop_poll);
    }
    if (stop.load(std::memory_order_acquire)) {
        return false;
    }
    ++m_in_use;
    m_peak = std::max(m_peak, m_in_use);
    return true;
}

void ConcurrencyLimit::release() {
    {
        std::lock_guard lock(m_mutex);
        if (m_in_use > 0) {
            --m_in_use;
        }
    }
    m_cv.notify_one();
}

void ConcurrencyLimit::observe_latency(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) {
        return;
    }
    std::lock_guard lock(m_mutex);
    const double w = std::clamp(m_settings.latency_weight, 0.0, 1.0);
    m_latency_s = m_latency_s == 0 ? seconds : (1 - w) * m_latency_s + w * seconds;
    recompute_locked();
}

void ConcurrencyLimit::set_rate(std::optional<double> rate) {
    std::lock_guard lock(m_mutex);
    if (rate == m_rate) {
        return;
    }
    m_rate = rate;
    recompute_locked();
}

int ConcurrencyLimit::limit() const {
    std::lock_guard lock(m_mutex);
    return m_limit;
}

int ConcurrencyLimit::in_use() const {
    std::lock_guard lock(m_mutex);
    return m_in_use;
}

int ConcurrencyLimit::peak_in_use() const {
    std::lock_guard lock(m_mutex);
    return m_peak;
}

double ConcurrencyLimit::latency_s() const {
    std::lock_guard lock(m_mutex);
    return m_latency_s;
}

}  // namespace wxbatch::resilience
