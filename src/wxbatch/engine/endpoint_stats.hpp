#pragma once
// Request latency per endpoint ("POST /memberships") and overall, for the performance profile
// in run_summary.json. Constant memory: one fixed-size histogram per endpoint label.

#include <map>
#include <mutex>
#include <string>

#include "wxbatch/report/latency_histogram.hpp"
#include "wxbatch/report/run_summary.hpp"

namespace wxbatch::engine {

class EndpointStats {
public:
    void record(const std::string& endpoint, double latency_ms);
    // Sets the summary's latency percentiles, overall and per endpoint.
    void fill(report::RunSummary& summary) const;

private:
    mutable std::mutex m_mutex;
    report::LatencyHistogram m_overall;
    std::map<std::string, report::LatencyHistogram> m_endpoints;
};

}  // namespace wxbatch::engine
