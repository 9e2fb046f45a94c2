#include "wxsim/ledger.hpp"

namespace wxsim {

void Ledger::record(const std::string& key) {
    std::lock_guard lock(m_mutex);
    ++m_counts[key];
}

int Ledger::count(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_counts.find(key);
    return it == m_counts.end() ? 0 : it->second;
}

nlohmann::json Ledger::to_json() const {
    std::lock_guard lock(m_mutex);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, count] : m_counts) {
        out[key] = count;
    }
    return out;
}

void Ledger::clear() {
    std::lock_guard lock(m_mutex);
    m_counts.clear();
}

}  // namespace wxsim
