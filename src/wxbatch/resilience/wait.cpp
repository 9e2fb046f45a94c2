#include "wxbatch/resilience/wait.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace wxbatch::resilience {

namespace {

double non_negative(double v) {
    return std::isfinite(v) && v > 0 ? v : 0.0;
}

}  // namespace

double Wait::exponential(int attempt_number) const {
    const double upper = std::max(0.0, m_max);
    const double lower = std::max(0.0, m_min);
    const double exponent = std::max(0, attempt_number - 1);
    // pow() may overflow to inf for large attempts; an infinite or NaN result means "max".
    double result = m_multiplier * std::pow(m_exp_base, exponent);
    if (!std::isfinite(result)) {
        result = upper;
    }
    return std::max(lower, std::min(result, upper));
}

const Wait& Wait::chain_member(int attempt_number) const {
    const auto size = static_cast<int>(m_chain.size());
    const int index = std::min(std::max(attempt_number, 1), size) - 1;
    return m_chain[static_cast<std::size_t>(index)];
}

Duration Wait::compute(const RetryState& state, Random& random) const {
    switch (m_kind) {
        case Kind::Fixed:
            return Duration(non_negative(m_min));
        case Kind::Random:
            return Duration(non_negative(random.uniform(m_min, m_max)));
        case Kind::Exponential:
            return Duration(non_negative(exponential(state.attempt_number)));
        case Kind::FullJitter:
            return Duration(non_negative(random.uniform(0, exponential(state.attempt_number))));
        case Kind::Chain:
            if (m_chain.empty()) {
                return Duration(0);
            }
            return chain_member(state.attempt_number).compute(state, random);
    }
    return Duration(0);
}

WaitBounds Wait::bounds(int attempt_number) const {
    switch (m_kind) {
        case Kind::Fixed:
            return {non_negative(m_min), non_negative(m_min)};
        case Kind::Random:
            return {non_negative(m_min), non_negative(m_max)};
        case Kind::Exponential: {
            const double v = exponential(attempt_number);
            return {v, v};
        }
        case Kind::FullJitter:
            return {0, exponential(attempt_number)};
        case Kind::Chain:
            if (m_chain.empty()) {
                return {0, 0};
            }
            return chain_member(attempt_number).bounds(attempt_number);
    }
    return {0, 0};
}

Wait wait_fixed(double seconds) {
    Wait w;
    w.m_kind = Wait::Kind::Fixed;
    w.m_min = seconds;
    w.m_max = seconds;
    return w;
}

Wait wait_random(double min_s, double max_s) {
    Wait w;
    w.m_kind = Wait::Kind::Random;
    w.m_min = min_s;
    w.m_max = max_s;
    return w;
}

Wait wait_exponential(double multiplier, double min_s, double max_s, double exp_base) {
    Wait w;
    w.m_kind = Wait::Kind::Exponential;
    w.m_multiplier = multiplier;
    w.m_min = min_s;
    w.m_max = max_s;
    w.m_exp_base = exp_base;
    return w;
}

Wait wait_full_jitter(double multiplier, double max_s, double exp_base) {
    Wait w;
    w.m_kind = Wait::Kind::FullJitter;
    w.m_multiplier = multiplier;
    w.m_min = 0;
    w.m_max = max_s;
    w.m_exp_base = exp_base;
    return w;
}

Wait wait_chain(std::vector<Wait> strategies) {
    Wait w;
    w.m_kind = Wait::Kind::Chain;
    w.m_chain = std::move(strategies);
    return w;
}

}  // namespace wxbatch::resilience
