#pragma once
// An insertion-ordered table of JSON resources by id. Not thread-safe: Store locks around it.

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace wxsim {

class Table {
  public:
    // Inserts or replaces the resource `id`, keeping its original position when replacing.
    void put(const std::string& id, nlohmann::json resource);

    // The resource `id`, or null when unknown.
    const nlohmann::json* find(const std::string& id) const;

    // Removes `id`; false when unknown.
    bool erase(const std::string& id);

    // The resources in insertion order for which `keep` is true.
    template <typename Predicate>
    std::vector<nlohmann::json> select(Predicate keep) const {
        std::vector<nlohmann::json> out;
        for (const auto& entry : m_order) {
            const nlohmann::json& row = m_rows.at(entry.second);
            if (keep(row)) {
                out.push_back(row);
            }
        }
        return out;
    }

    std::size_t size() const { return m_rows.size(); }
    void clear();

  private:
    std::unordered_map<std::string, nlohmann::json> m_rows;
    std::unordered_map<std::string, std::uint64_t> m_sequence;
    std::map<std::uint64_t, std::string> m_order;
    std::uint64_t m_next = 0;
};

}  // namespace wxsim
