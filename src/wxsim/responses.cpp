#include "wxsim/responses.hpp"

#include <cstdio>

#include "wxsim/request_context.hpp"

namespace wxsim {

namespace {

using nlohmann::json;

constexpr long long k_default_max = 100;
constexpr long long k_largest_max = 1000;

// Parses a non-negative decimal; -1 when it is not one.
long long parse_count(const std::string& text) {
    if (text.empty() || text.size() > 12) {
        return -1;
    }
    long long value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return -1;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

std::string next_link(const httplib::Request& req, int port, long long offset) {
    std::string query;
    for (const auto& [name, value] : req.params) {
        if (name != "cursor") {
            query +=
                (query.empty() ? "" : "&") + percent_encode(name) + "=" + percent_encode(value);
        }
    }
    query += (query.empty() ? "" : "&") + std::string("cursor=o") + std::to_string(offset);
    return "<http://127.0.0.1:" + std::to_string(port) + req.path + "?" + query + ">; rel=\"next\"";
}

}  // namespace

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json;charset=UTF-8");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
    const std::string& tracking_id = current_request().tracking_id;
    send_json(res, status,
              {{"message", message},
               {"errors", json::array({{{"description", message}}})},
               {"trackingId", tracking_id}});
}

std::optional<json> parse_body(const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
        send_error(res, 400, "The request body is not valid JSON.");
        return std::nullopt;
    }
    return body;
}

void send_outcome(httplib::Response& res, const Outcome& outcome) {
    if (outcome.status == 204) {
        res.status = 204;
        return;
    }
    if (outcome.status >= 400) {
        send_error(res, outcome.status, outcome.message);
        return;
    }
    send_json(res, outcome.status, outcome.body);
}

void send_mutation(const httplib::Request& req, httplib::Response& res, const Outcome& outcome) {
    RequestContext& context = current_request();
    const bool applied = outcome.status >= 200 && outcome.status < 300;
    if (applied && context.decision.after_apply == AfterApply::BadGateway) {
        send_error(res, 502, "Bad Gateway.");
        return;
    }
    if (applied && context.decision.after_apply == AfterApply::Drop) {
        if (drop_current_request(req)) {
            return;
        }
    }
    send_outcome(res, outcome);
}

void send_page(const httplib::Request& req, httplib::Response& res, const std::vector<json>& items,
               int port) {
    long long max = k_default_max;
    if (req.has_param("max")) {
        max = parse_count(req.get_param_value("max"));
        if (max < 1) {
            send_error(res, 400, "max must be a positive integer.");
            return;
        }
        max = std::min(max, k_largest_max);
    }
    long long offset = 0;
    if (req.has_param("cursor")) {
        const std::string cursor = req.get_param_value("cursor");
        offset = cursor.size() > 1 && cursor[0] == 'o' ? parse_count(cursor.substr(1)) : -1;
        if (offset < 0) {
            send_error(res, 400, "Invalid cursor.");
            return;
        }
    }
    const auto total = static_cast<long long>(items.size());
    json page = json::array();
    for (long long i = offset; i < std::min(total, offset + max); ++i) {
        page.push_back(items[static_cast<std::size_t>(i)]);
    }
    if (offset + max < total) {
        res.set_header("Link", next_link(req, port, offset + max));
    }
    send_json(res, 200, {{"items", page}});
}

std::string percent_encode(const std::string& value) {
    std::string out;
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", u);
            out += hex;
        }
    }
    return out;
}

}  // namespace wxsim
