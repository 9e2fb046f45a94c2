#include "wxsim/sim_state.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace wxsim {

SimState::SimState(Options options)
    : m_options(std::move(options)),
      m_store(m_ledger, m_options.seed),
      m_faults(m_options),
      m_origin(clock_seconds()) {
    m_faults.reset(0);
}

double SimState::clock_seconds() const {
    if (m_options.clock) {
        return m_options.clock();
    }
    const auto since = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration<double>(since).count();
}

double SimState::now() const {
    return clock_seconds() - m_origin.load();
}

void SimState::reset() {
    m_origin.store(clock_seconds());
    m_store.reset();
    m_ledger.clear();
    m_stats.clear();
    m_faults.reset(0);
    m_tracking.store(0);
}

bool SimState::pause_ms(double ms) {
    if (ms <= 0) {
        return true;
    }
    std::unique_lock lock(m_pause_mutex);
    const auto duration = std::chrono::duration<double, std::milli>(ms);
    return !m_pause_cv.wait_for(lock, duration, [this] { return m_stopping; });
}

void SimState::stop_pauses() {
    {
        std::lock_guard lock(m_pause_mutex);
        m_stopping = true;
    }
    m_pause_cv.notify_all();
}

std::string SimState::next_tracking_id() {
    return "WXSIM_" + std::to_string(++m_tracking);
}

bool SimState::token_accepted(const std::string& authorization) const {
    const std::string prefix = "Bearer ";
    if (authorization.rfind(prefix, 0) != 0 || authorization.size() == prefix.size()) {
        return false;
    }
    const std::string token = authorization.substr(prefix.size());
    return m_options.tokens.empty() || std::find(m_options.tokens.begin(), m_options.tokens.end(),
                                                 token) != m_options.tokens.end();
}

}  // namespace wxsim
