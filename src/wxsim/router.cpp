#include "wxsim/router.hpp"

#include <utility>

namespace wxsim {

void Router::remember(const std::string& pattern) {
    m_patterns.emplace_back(pattern);
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
        if (std::regex_match(path, pattern)) {
            return true;
        }
    }
    return false;
}

}  // namespace wxsim
