#include "wxbatch/actions/lookup.hpp"

#include <cctype>

#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

constexpr int k_max_pages = 1000;

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else if (text[i] == '+') {
            out += ' ';
        } else {
            out += text[i];
        }
    }
    return out;
}

// True when the parameters of one Link entry say rel="next" (rel may list several types).
bool is_next_rel(std::string_view params) {
    const std::string lowered = to_lower(params);
    const std::size_t rel = lowered.find("rel=");
    if (rel == std::string::npos) {
        return false;
    }
    std::string_view value = std::string_view(lowered).substr(rel + 4);
    if (!value.empty() && value.front() == '"') {
        value = value.substr(1, value.find('"', 1) - 1);
    } else {
        value = value.substr(0, value.find_first_of(";, "));
    }
    std::size_t start = 0;
    while (start < value.size()) {
        const std::size_t end = value.find(' ', start);
        if (value.substr(start, end - start) == "next") {
            return true;
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return false;
}

std::optional<std::string> link_header(const webex::Headers& headers) {
    for (const auto& [name, value] : headers.all()) {
        if (to_lower(name) == "link") {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_next_link(const std::string& link_header_value) {
    std::size_t pos = 0;
    while ((pos = link_header_value.find('<', pos)) != std::string::npos) {
        const std::size_t close = link_header_value.find('>', pos);
        if (close == std::string::npos) {
            return std::nullopt;
        }
        const std::size_t next_entry = link_header_value.find('<', close);
        const std::string_view params =
            std::string_view(link_header_value).substr(close + 1, next_entry - close - 1);
        if (is_next_rel(params)) {
            return link_header_value.substr(pos + 1, close - pos - 1);
        }
        pos = close;
    }
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> next_page_query(std::string_view url) {
    std::vector<std::pair<std::string, std::string>> query;
    const std::size_t mark = url.find('?');
    if (mark == std::string_view::npos) {
        return query;
    }
    std::string_view rest = url.substr(mark + 1);
    rest = rest.substr(0, rest.find('#'));
    std::size_t start = 0;
    while (start < rest.size()) {
        const std::size_t end = rest.find('&', start);
        const std::string_view pair = rest.substr(start, end - start);
        const std::size_t equals = pair.find('=');
        std::string key = percent_decode(pair.substr(0, equals));
        std::string value = equals == std::string_view::npos
                                ? std::string()
                                : percent_decode(pair.substr(equals + 1));
        if (!key.empty() && !(key == "max" && value == "null")) {
            query.emplace_back(std::move(key), std::move(value));
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return query;
}

Expected<std::optional<nlohmann::json>, webex::ApiResult> find_item(
    webex::ApiCaller& api, webex::ApiRequest request,
    const std::function<bool(const nlohmann::json&)>& accept) {
    for (int page = 0; page < k_max_pages; ++page) {
        webex::ApiResult result = api.call(request);
        if (result.status != webex::CallStatus::Ok) {
            return unexpected(std::move(result));
        }
        if (!result.body().is_object() || !result.body().contains("items") ||
            !result.body()["items"].is_array()) {
            // A 2xx that is not a list says nothing about whether the item exists: reading it
            // as "not found" would turn a garbled answer into "already deleted". Try later.
            result.status = webex::CallStatus::Exhausted;
            result.message = "unexpected answer to " + request.endpoint +
                             " (HTTP " + std::to_string(result.http_status) +
                             "): not a list of items";
            return unexpected(std::move(result));
        }
        for (const nlohmann::json& item : result.body()["items"]) {
            if (accept(item)) {
                return std::optional<nlohmann::json>(item);
            }
        }
        const auto link = link_header(result.headers);
        const auto next = link ? parse_next_link(*link) : std::nullopt;
        if (!next) {
            break;
        }
        request.query = next_page_query(*next);
    }
    return std::optional<nlohmann::json>{};
}

bool field_equals(const nlohmann::json& item, const char* key, std::string_view value) {
    return item.is_object() && item.contains(key) && item[key].is_string() &&
           to_lower(item[key].get<std::string>()) == to_lower(value);
}

Expected<std::optional<nlohmann::json>, webex::ApiResult> find_person(webex::ApiCaller& api,
                                                                      const std::string& email,
                                                                      bool calling_data) {
    webex::ApiRequest request;
    request.path = "/people";
    request.query = {{"email", email}};
    if (calling_data) {
        request.query.emplace_back("callingData", "true");
    }
    request.endpoint = "GET /people";
    return find_item(api, std::move(request), [&](const nlohmann::json& person) {
        if (!person.is_object() || !person.contains("emails") || !person["emails"].is_array()) {
            return false;
        }
        for (const nlohmann::json& address : person["emails"]) {
            if (address.is_string() && to_lower(address.get<std::string>()) == to_lower(email)) {
                return true;
            }
        }
        return false;
    });
}

Expected<std::optional<nlohmann::json>, webex::ApiResult> find_membership(
    webex::ApiCaller& api, const std::string& room_id, const std::string& person_email) {
    webex::ApiRequest request;
    request.path = "/memberships";
    request.query = {{"roomId", room_id}, {"personEmail", person_email}};
    request.endpoint = "GET /memberships";
    return find_item(api, std::move(request), [&](const nlohmann::json& membership) {
        return field_equals(membership, "personEmail", person_email);
    });
}

Expected<std::optional<nlohmann::json>, webex::ApiResult> find_team_membership(
    webex::ApiCaller& api, const std::string& team_id, const std::string& person_email) {
    webex::ApiRequest request;
    request.path = "/team/memberships";
    request.query = {{"teamId", team_id}};
    request.endpoint = "GET /team/memberships";
    return find_item(api, std::move(request), [&](const nlohmann::json& membership) {
        return field_equals(membership, "personEmail", person_email);
    });
}

}  // namespace wxbatch::actions
