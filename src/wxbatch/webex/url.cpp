#include "wxbatch/webex/url.hpp"

#include <algorithm>
#include <cctype>

namespace wxbatch::webex {

namespace {

bool unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string strip_trailing_slashes(std::string text) {
    while (!text.empty() && text.back() == '/') {
        text.pop_back();
    }
    return text;
}

// Length of "scheme://authority" at the start of `url` (0 when there is no "://").
std::size_t origin_length(const std::string& url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string::npos) {
        return 0;
    }
    const std::size_t end = url.find_first_of("/?#", scheme_end + 3);
    return end == std::string::npos ? url.size() : end;
}

bool iequal_prefix(const std::string& a, const std::string& b, std::size_t n) {
    return a.size() >= n && b.size() >= n &&
           std::equal(
               a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin(),
               [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

}  // namespace

std::string url_encode(std::string_view text) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (unreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 0x0F];
        }
    }
    return out;
}

std::string build_url(const std::string& base, const std::string& path,
                      const std::vector<std::pair<std::string, std::string>>& query) {
    std::string url = strip_trailing_slashes(base);
    if (!path.empty()) {
        url += path.front() == '/' ? "" : "/";
        url += path;
    }
    char separator = url.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [key, value] : query) {
        url += separator;
        url += url_encode(key);
        url += '=';
        url += url_encode(value);
        separator = '&';
    }
    return url;
}

std::optional<std::string> relative_to_base(const std::string& base,
                                            const std::string& absolute_url) {
    const std::string root = strip_trailing_slashes(base);
    const std::size_t origin = origin_length(root);
    if (origin == 0 || origin_length(absolute_url) != origin ||
        !iequal_prefix(root, absolute_url, origin) ||
        absolute_url.compare(origin, root.size() - origin, root, origin) != 0) {
        return std::nullopt;
    }
    std::string rest = absolute_url.substr(root.size());
    if (rest.empty()) {
        return std::string("/");
    }
    if (rest.front() == '?') {
        return "/" + rest;
    }
    if (rest.front() != '/') {
        return std::nullopt;  // "/v10/x" is not under "/v1"
    }
    return rest;
}

}  // namespace wxbatch::webex
