#include "wxbatch/webex/http.hpp"

#include <algorithm>
#include <cctype>

namespace wxbatch::webex {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

const char* to_string(HttpMethod m) {
    switch (m) {
        case HttpMethod::Get:
            return "GET";
        case HttpMethod::Post:
            return "POST";
        case HttpMethod::Put:
            return "PUT";
        case HttpMethod::Patch:
            return "PATCH";
        case HttpMethod::Delete:
            return "DELETE";
    }
    return "GET";
}

const char* to_string(TransportErrorKind k) {
    switch (k) {
        case TransportErrorKind::Timeout:
            return "timeout";
        case TransportErrorKind::Connect:
            return "connect";
        case TransportErrorKind::ConnectionDropped:
            return "connection_dropped";
        case TransportErrorKind::Tls:
            return "tls";
        case TransportErrorKind::Resolve:
            return "resolve";
        case TransportErrorKind::BodyTooLarge:
            return "body_too_large";
        case TransportErrorKind::Other:
            return "other";
    }
    return "other";
}

void Headers::add(std::string name, std::string value) {
    m_items.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Headers::get(std::string_view name) const {
    for (const auto& [key, value] : m_items) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace wxbatch::webex
