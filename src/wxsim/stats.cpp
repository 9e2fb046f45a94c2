#include "wxsim/stats.hpp"

#include <vector>

namespace wxsim {

void Stats::record(const std::string& outcome, const std::string& endpoint, std::int64_t second) {
    std::lock_guard lock(m_mutex);
    ++m_requests;
    ++m_by_status[outcome];
    ++m_by_endpoint[endpoint];
    Second& bucket = m_timeline[second];
    ++bucket.requests;
    ++bucket.by_status[outcome];
}

nlohmann::json Stats::to_json() const {
    std::lock_guard lock(m_mutex);
    nlohmann::json timeline = nlohmann::json::array();
    for (const auto& [second, bucket] : m_timeline) {
        timeline.push_back(
            {{"second", second}, {"requests", bucket.requests}, {"by_status", bucket.by_status}});
    }
    return {{"requests", m_requests},
            {"by_status", m_by_status},
            {"by_endpoint", m_by_endpoint},
            {"timeline", timeline}};
}

void Stats::clear() {
    std::lock_guard lock(m_mutex);
    m_requests = 0;
    m_by_status.clear();
    m_by_endpoint.clear();
    m_timeline.clear();
}

std::string endpoint_of(const std::string& method, const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        const std::size_t end = path.find('/', start);
        segments.push_back(path.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    // Segments: "v1", collection ("team" then "memberships" for team memberships), then an id.
    std::size_t id_index = 2;
    if (segments.size() > 2 && segments[1] == "team") {
        id_index = 3;
    }
    if (segments.size() > id_index && !(segments[1] == "people" && segments[id_index] == "me")) {
        segments[id_index] = "{id}";
    }
    std::string out = method + " ";
    for (const auto& segment : segments) {
        out += "/" + segment;
    }
    return out;
}

}  // namespace wxsim
