#include "wxsim/router.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace wxsim {

namespace {

constexpr std::string_view k_any_segment = "([^/]+)";
constexpr std::string_view k_wildcard = "/*";

// True when `path` matches `pattern` segment by segment.
bool matches(std::string_view pattern, std::string_view path) {
    while (!pattern.empty() && !path.empty()) {
        const std::size_t pattern_end = std::min(pattern.find('/', 1), pattern.size());
        const std::size_t path_end = std::min(path.find('/', 1), path.size());
        const std::string_view want = pattern.substr(0, pattern_end);
        const std::string_view have = path.substr(0, path_end);
        const bool any = want == k_wildcard && have.size() > 1;
        if (!any && want != have) {
            return false;
        }
        pattern.remove_prefix(pattern_end);
        path.remove_prefix(path_end);
    }
    return pattern.empty() && path.empty();
}

}  // namespace

void Router::remember(const std::string& pattern) {
    std::string simple;
    std::size_t from = 0;
    for (auto at = pattern.find(k_any_segment); at != std::string::npos;
         at = pattern.find(k_any_segment, from)) {
        simple.append(pattern, from, at - from);
        simple += '*';
        from = at + k_any_segment.size();
    }
    simple.append(pattern, from);
    m_patterns.push_back(simple);
}

void Router::get(const std::string& pattern, Handler handler) {
    remember(pattern);
    m_server.Get(pattern, std::move(handler));
}

void Router::post(const std::string& pattern, Handler handler) {
    remember(pattern);
    m_server.Post(pattern, std::move(handler));
}

void Router::put(const std::string& pattern, Handler handler) {
    remember(pattern);
    m_server.Put(pattern, std::move(handler));
}

void Router::patch(const std::string& pattern, Handler handler) {
    remember(pattern);
    m_server.Patch(pattern, std::move(handler));
}

void Router::del(const std::string& pattern, Handler handler) {
    remember(pattern);
    m_server.Delete(pattern, std::move(handler));
}

bool Router::knows_path(const std::string& path) const {
    for (const auto& pattern : m_patterns) {
        if (matches(pattern, path)) {
            return true;
        }
    }
    return false;
}

}  // namespace wxsim
