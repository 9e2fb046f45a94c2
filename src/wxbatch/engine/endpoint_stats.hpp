#pragma once
// Latency and attempt counts per endpoint ("POST /memberships") and overall, for the
// performance profile in run_summary.json. Constant memory: one histogram per endpoint label.

#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "wxbatch/report/latency_histogram.hpp"

namespace wxbatch::engine {

class EndpointStats {
public:
    void record(const std::string& endpoint, double latency_ms, int http_status);
    nlohmann::json overall_json() const;
    nlohmann::json per_endpoint_json() const;

private:
    struct Entry {
        report::LatencyHistogram latency;
        std::map<std::string, std::uint64_t> by_status;
        std::uint64_t requests = 0;
    };
    mutable std::mutex m_mutex;
    Entry m_overall;
    std::map<std::string, Entry> m_endpoints;
};

}  // namespace wxbatch::engine
