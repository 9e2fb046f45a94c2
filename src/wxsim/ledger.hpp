#pragma once
// The exactly-once oracle: per resource key, how many times a mutation was applied.
// Keys are listed in docs/wxsim.md (e.g. `membership:<roomId>:<email lowercase>`). Thread-safe.

#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace wxsim {

class Ledger {
  public:
    // Counts one application of the mutation identified by `key`.
    void record(const std::string& key);

    // Times `key` was applied (0 when never).
    int count(const std::string& key) const;

    // The whole ledger as a JSON object key -> count.
    nlohmann::json to_json() const;

    void clear();

  private:
    mutable std::mutex m_mutex;
    std::map<std::string, int> m_counts;
};

}  // namespace wxsim
