#include "wxbatch/engine/endpoint_stats.hpp"

namespace wxbatch::engine {

void EndpointStats::record(const std::string& endpoint, double latency_ms) {
    m_overall.record_ms(latency_ms);
    std::lock_guard lock(m_mutex);
    m_endpoints[endpoint.empty() ? std::string("other") : endpoint].record_ms(latency_ms);
}

void EndpointStats::fill(report::RunSummary& summary) const {
    std::lock_guard lock(m_mutex);
    report::set_latency(summary, m_overall, m_endpoints);
}

}  // namespace wxbatch::engine
