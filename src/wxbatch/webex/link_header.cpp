#include "wxbatch/webex/link_header.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace wxbatch::webex {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Splits at `separator` outside <...> and "..." (with backslash escapes inside quotes).
std::vector<std::string_view> split_outside(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    bool in_angle = false;
    bool in_quote = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quote) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_quote = false;
            }
        } else if (c == '"' && !in_angle) {
            in_quote = true;
        } else if (c == '<') {
            in_angle = true;
        } else if (c == '>') {
            in_angle = false;
        } else if (c == separator && !in_angle) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(text.substr(start));
    return parts;
}

bool rel_has_next(std::string_view value) {
    value = trim(value);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
    }
    const std::string rels = lower(value);
    std::size_t pos = 0;
    while (pos < rels.size()) {
        const std::size_t end = std::min(rels.find_first_of(" \t", pos), rels.size());
        if (rels.compare(pos, end - pos, "next") == 0 && end - pos == 4) {
            return true;
        }
        pos = end + 1;
    }
    return false;
}

// The target of one link-value "<uri>; param; param" when its rel contains next.
std::optional<std::string> next_target(std::string_view link) {
    const auto params = split_outside(trim(link), ';');
    const std::string_view target = trim(params.front());
    if (target.size() < 2 || target.front() != '<' || target.back() != '>') {
        return std::nullopt;
    }
    for (std::size_t i = 1; i < params.size(); ++i) {
        const std::string_view param = trim(params[i]);
        const std::size_t eq = param.find('=');
        if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == "rel" &&
            rel_has_next(param.substr(eq + 1))) {
            return std::string(target.substr(1, target.size() - 2));
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> next_link(std::string_view link_header) {
    for (const auto link : split_outside(link_header, ',')) {
        if (auto target = next_target(link)) {
            return target;
        }
    }
    return std::nullopt;
}

std::string drop_max_null(std::string url) {
    const std::size_t query = url.find('?');
    if (query == std::string::npos) {
        return url;
    }
    const std::size_t fragment = std::min(url.find('#', query), url.size());
    std::string kept;
    std::size_t pos = query + 1;
    while (pos <= fragment) {
        const std::size_t end = std::min(url.find('&', pos), fragment);
        const std::string_view param(url.data() + pos, end - pos);
        if (param != "max=null" && !param.empty()) {
            kept += kept.empty() ? "" : "&";
            kept += param;
        }
        pos = end + 1;
    }
    std::string out = url.substr(0, query);
    if (!kept.empty()) {
        out += "?" + kept;
    }
    return out + url.substr(fragment);
}

}  // namespace wxbatch::webex
