#include "wxbatch/engine/endpoint_stats.hpp"

namespace wxbatch::engine {

void EndpointStats::record(const RequestRecord& request) {
    m_overall.record_ms(request.latency_ms);
    std::lock_guard lock(m_mutex);
    const std::string_view name = request.endpoint.empty() ? "other" : request.endpoint;
    auto it = m_endpoints.find(name);
    if (it == m_endpoints.end()) {
        it = m_endpoints.emplace(std::string(name), Endpoint{}).first;
    }
    Endpoint& e = it->second;
    e.latency.record_ms(request.latency_ms);
    ++e.requests;
    if (request.retry) {
        ++e.retries;
    }
    ++e.answers[request.answer];
}

void EndpointStats::fill(report::RunSummary& summary) const {
    std::lock_guard lock(m_mutex);
    summary.latency = m_overall.percentiles();
    summary.endpoints.clear();
    for (const auto& [name, e] : m_endpoints) {
        summary.endpoints[name] = {e.requests, e.retries, e.answers, e.latency.percentiles()};
    }
}

}  // namespace wxbatch::engine
