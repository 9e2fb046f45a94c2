#include "wxbatch/webex/error_body.hpp"

#include <nlohmann/json.hpp>

namespace wxbatch::webex {

namespace {

using nlohmann::json;

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string cap(std::string_view text, std::size_t limit = k_error_field_limit) {
    if (text.size() <= limit) {
        return std::string(text);
    }
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return std::string(text.substr(0, end)) + "...";
}

std::string string_field(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
        return {};
    }
    return cap(it->get_ref<const std::string&>());
}

// Descriptions from an array of {"description": ...} objects or of plain strings.
void collect_descriptions(const json& items, std::vector<std::string>& out) {
    if (!items.is_array()) {
        return;
    }
    for (const auto& item : items) {
        if (out.size() >= k_error_descriptions_limit) {
            return;
        }
        std::string text = item.is_string()   ? cap(item.get_ref<const std::string&>())
                           : item.is_object() ? string_field(item, "description")
                                              : std::string();
        if (!text.empty()) {
            out.push_back(std::move(text));
        }
    }
}

void read_object(const json& doc, WebexError& error) {
    error.message = string_field(doc, "message");
    error.tracking_id = string_field(doc, "trackingId");
    if (const auto it = doc.find("message"); it != doc.end()) {
        collect_descriptions(*it, error.descriptions);  // message as an array of descriptions
    }
    if (const auto it = doc.find("errors"); it != doc.end()) {
        collect_descriptions(*it, error.descriptions);
    }
    if (const auto it = doc.find("error"); it != doc.end()) {
        if (it->is_object()) {
            if (error.message.empty()) {
                error.message = string_field(*it, "message");
            }
            if (const auto inner = it->find("message"); inner != it->end()) {
                collect_descriptions(*inner, error.descriptions);
            }
        } else if (it->is_string() && error.message.empty()) {
            error.message = cap(it->get_ref<const std::string&>());
        }
    }
    const std::string oauth = string_field(doc, "error_description");
    if (!oauth.empty() && error.descriptions.size() < k_error_descriptions_limit) {
        error.descriptions.push_back(oauth);
    }
}

bool blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// `text` with control characters turned into spaces, runs of spaces collapsed, ends trimmed.
std::string one_line(std::string_view text) {
    std::string line;
    line.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F || c == ' ') {
            if (!line.empty() && line.back() != ' ') {
                line += ' ';
            }
        } else {
            line += c;
        }
    }
    if (!line.empty() && line.back() == ' ') {
        line.pop_back();
    }
    return line;
}

}  // namespace

WebexError parse_error_body(std::string_view body, int status) {
    WebexError error;
    const std::string fallback = "HTTP " + std::to_string(status);
    const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object()) {
        read_object(doc, error);
    } else if (!blank(body) && doc.is_discarded()) {
        error.message = fallback + " (body not JSON: " + cap(body, 200) + ")";
    }
    if (error.message.empty()) {
        if (error.descriptions.empty()) {
            error.message = fallback;
        } else {
            error.message = error.descriptions.front();
            error.descriptions.erase(error.descriptions.begin());
        }
    }
    return error;
}

std::string WebexError::summary() const {
    std::string line = one_line(message);
    bool first = true;
    for (const auto& description : descriptions) {
        const std::string part = one_line(description);
        if (description == message || part.empty()) {
            continue;
        }
        line += first ? ": " : "; ";
        line += part;
        first = false;
    }
    return line;
}

}  // namespace wxbatch::webex
