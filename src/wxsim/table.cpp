#include "wxsim/table.hpp"

namespace wxsim {

void Table::put(const std::string& id, nlohmann::json resource) {
    if (m_sequence.find(id) == m_sequence.end()) {
        m_sequence[id] = m_next;
        m_order[m_next] = id;
        ++m_next;
    }
    m_rows[id] = std::move(resource);
}

const nlohmann::json* Table::find(const std::string& id) const {
    const auto it = m_rows.find(id);
    return it == m_rows.end() ? nullptr : &it->second;
}

bool Table::erase(const std::string& id) {
    const auto it = m_sequence.find(id);
    if (it == m_sequence.end()) {
        return false;
    }
    m_order.erase(it->second);
    m_sequence.erase(it);
    m_rows.erase(id);
    return true;
}

void Table::clear() {
    m_rows.clear();
    m_sequence.clear();
    m_order.clear();
}

}  // namespace wxsim
