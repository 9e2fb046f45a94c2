#pragma once
// Counters over API requests (never /_sim/): totals, by status, by endpoint, per-second timeline.
// Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace wxsim {

class Stats {
  public:
    // Counts one answered request. `outcome` is the status ("200", "429", ...) or "drop";
    // `endpoint` is "METHOD /v1/path/{id}"; `second` is whole seconds since start.
    void record(const std::string& outcome, const std::string& endpoint, std::int64_t second);

    // {"requests", "by_status", "by_endpoint", "timeline": [{"second", "requests", "by_status"}]}.
    nlohmann::json to_json() const;

    void clear();

  private:
    struct Second {
        std::int64_t requests = 0;
        std::map<std::string, std::int64_t> by_status;
    };
    mutable std::mutex m_mutex;
    std::int64_t m_requests = 0;
    std::map<std::string, std::int64_t> m_by_status;
    std::map<std::string, std::int64_t> m_by_endpoint;
    std::map<std::int64_t, Second> m_timeline;
};

// The endpoint key of a path: ids replaced by `{id}` ("/v1/people/abc" -> "/v1/people/{id}").
std::string endpoint_of(const std::string& method, const std::string& path);

}  // namespace wxsim
