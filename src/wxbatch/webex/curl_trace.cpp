#include "wxbatch/webex/curl_trace.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace wxbatch::webex {

namespace {

bool starts_with_header(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':') {
        return false;
    }
    return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

bool is_secret_header(std::string_view line) {
    static constexpr std::array<std::string_view, 2> k_secret{"authorization",
                                                              "proxy-authorization"};
    return std::any_of(k_secret.begin(), k_secret.end(),
                       [&](std::string_view name) { return starts_with_header(line, name); });
}

}  // namespace

std::string redact_trace_headers(std::string_view header_block) {
    std::string out;
    out.reserve(header_block.size());
    while (!header_block.empty()) {
        const std::size_t end = header_block.find('\n');
        const std::size_t len = end == std::string_view::npos ? header_block.size() : end + 1;
        const std::string_view line = header_block.substr(0, len);
        if (is_secret_header(line)) {
            out += line.substr(0, line.find(':') + 1);
            out += " <redacted>";
            if (line.ends_with("\r\n")) {
                out += "\r\n";
            } else if (line.ends_with('\n')) {
                out += '\n';
            }
        } else {
            out += line;
        }
        header_block.remove_prefix(len);
    }
    return out;
}

}  // namespace wxbatch::webex
