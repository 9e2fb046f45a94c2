#include "wxsim/token_bucket.hpp"

#include <algorithm>
#include <utility>

namespace wxsim {

namespace {

double capacity_of(const RateLimitOptions& options, double rate) {
    return options.burst > 0 ? options.burst : std::max(1.0, rate);
}

}  // namespace

TokenBucket::TokenBucket(RateLimitOptions options)
    : m_options(std::move(options)), m_tokens(capacity_of(m_options, m_options.rate)) {}

double TokenBucket::rate_at(double now) const {
    double rate = m_options.rate;
    double latest = -1;
    for (const auto& step : m_options.schedule) {
        if (step.after_s <= now && step.after_s >= latest) {
            rate = step.rate;
            latest = step.after_s;
        }
    }
    return rate;
}

std::optional<double> TokenBucket::take(double now) {
    const double rate = rate_at(now);
    if (rate <= 0) {
        return std::nullopt;
    }
    const double capacity = capacity_of(m_options, rate);
    if (now > m_last) {
        m_tokens = std::min(capacity, m_tokens + (now - m_last) * rate);
        m_last = now;
    }
    if (m_tokens >= 1) {
        m_tokens -= 1;
        return std::nullopt;
    }
    return (1 - m_tokens) / rate;
}

void TokenBucket::reset(double now) {
    m_tokens = capacity_of(m_options, rate_at(now));
    m_last = now;
}

}  // namespace wxsim
