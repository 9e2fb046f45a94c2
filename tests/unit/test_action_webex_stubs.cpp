// Weak fallbacks for webex::Headers, declared in webex/http.hpp and implemented on the webex
// branch. Until that branch is merged the action tests link against these; once it is, its
// strong definitions take precedence and this file can be deleted.

#include "wxbatch/webex/http.hpp"

#include <algorithm>
#include <cctype>

namespace wxbatch::webex {

[[gnu::weak]] void Headers::add(std::string name, std::string value) {
    m_items.emplace_back(std::move(name), std::move(value));
}

[[gnu::weak]] std::optional<std::string> Headers::get(std::string_view name) const {
    for (const auto& [key, value] : m_items) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace wxbatch::webex
