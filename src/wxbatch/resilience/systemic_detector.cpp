#include "wxbatch/resilience/systemic_detector.hpp"

#include <algorithm>

namespace wxbatch::resilience {

const char* to_string(StopReason r) {
    switch (r) {
        case StopReason::None:
            return "none";
        case StopReason::Signal:
            return "signal";
        case StopReason::SystemicBreaker:
            return "systemic_breaker";
        case StopReason::SystemicAuth:
            return "systemic_auth";
        case StopReason::SystemicScope:
            return "systemic_scope";
        case StopReason::SystemicConfig:
            return "systemic_config";
    }
    return "?";
}

SystemicDetector::SystemicDetector(int forbidden_rows_systemic)
    : m_forbidden_rows_systemic(std::max(1, forbidden_rows_systemic)) {}

bool SystemicDetector::mark(StopReason reason) {
    if (!m_reason) {
        m_reason = reason;
    }
    return true;
}

bool SystemicDetector::record_401(std::int64_t /*row*/) {
    std::lock_guard lock(m_mutex);
    return !m_reason.has_value();
}

bool SystemicDetector::on_unauthorized(bool recheck_also_401) {
    std::lock_guard lock(m_mutex);
    return recheck_also_401 ? mark(StopReason::SystemicAuth) : false;
}

bool SystemicDetector::record_403(std::int64_t row) {
    std::lock_guard lock(m_mutex);
    if (m_last_forbidden_row != row) {
        ++m_forbidden_streak;
        m_last_forbidden_row = row;
    }
    if (m_forbidden_streak >= m_forbidden_rows_systemic) {
        return mark(StopReason::SystemicScope);
    }
    return false;
}

void SystemicDetector::record_success() {
    std::lock_guard lock(m_mutex);
    m_forbidden_streak = 0;
    m_last_forbidden_row.reset();
}

bool SystemicDetector::record_404_base_path() {
    std::lock_guard lock(m_mutex);
    return mark(StopReason::SystemicConfig);
}

bool SystemicDetector::record_config_error() {
    std::lock_guard lock(m_mutex);
    return mark(StopReason::SystemicConfig);
}

std::optional<StopReason> SystemicDetector::systemic() const {
    std::lock_guard lock(m_mutex);
    return m_reason;
}

}  // namespace wxbatch::resilience
