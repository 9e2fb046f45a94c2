#include "wxbatch/webex/client.hpp"

#include <openssl/crypto.h>

#include "wxbatch/webex/error_body.hpp"
#include "wxbatch/webex/url.hpp"

#ifndef WXBATCH_VERSION
#define WXBATCH_VERSION "0.0.0"
#endif

namespace wxbatch::webex {

namespace {

constexpr std::string_view k_json = "application/json";
constexpr std::string_view k_json_utf8 = "application/json; charset=utf-8";

bool is_success(int status) {
    return status >= 200 && status < 300;
}

}  // namespace

WebexClient::WebexClient(WebexClientConfig config, std::string token)
    : m_config(std::move(config)), m_token(std::move(token)) {}

WebexClient::~WebexClient() {
    if (!m_token.empty()) {
        OPENSSL_cleanse(m_token.data(), m_token.size());
    }
}

std::string WebexClient::redacted() const {
    return "<redacted, " + std::to_string(m_token.size()) + " chars>";
}

std::string WebexClient::tracking_id(std::uint64_t row, int attempt) const {
    return "WXBATCH_" + m_config.run_id + "_" + std::to_string(row) + "_" + std::to_string(attempt);
}

HttpRequest WebexClient::build(const ApiRequest& request, std::uint64_t row, int attempt) const {
    HttpRequest http;
    http.method = request.method;
    http.url = build_url(m_config.base_url, request.path, request.query);
    http.timeout = m_config.request_timeout;
    http.fresh_connection = request.fresh_connection;
    http.headers.add("Authorization", "Bearer " + m_token);
    http.headers.add("Accept", std::string(k_json));
    if (request.body) {
        http.headers.add("Content-Type", std::string(k_json_utf8));
        http.body = request.body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    http.headers.add("TrackingID", tracking_id(row, attempt));
    http.headers.add("User-Agent", std::string("wxbatch/") + WXBATCH_VERSION);
    return http;
}

void WebexClient::fill_result(const HttpResponse& response, ApiResult& result) {
    result.http_status = response.status;
    result.status = is_success(response.status) ? CallStatus::Ok : CallStatus::HttpError;
    result.set_body_text(response.body);
    result.message.clear();
    result.tracking_id.clear();
    if (!is_success(response.status)) {
        const WebexError error = parse_error_body(response.body, response.status);
        result.message = error.summary();
        result.tracking_id = error.tracking_id;
    } else if (response.body.find("\"trackingId\"") != std::string::npos &&
               result.body().is_object()) {
        // Parsed here only when the body may name a trackingId (success bodies rarely do).
        const auto it = result.body().find("trackingId");
        if (it != result.body().end() && it->is_string()) {
            result.tracking_id = it->get<std::string>();
        }
    }
    if (result.tracking_id.empty()) {
        result.tracking_id = response.headers.get("TrackingID").value_or("");
    }
    result.headers = response.headers;
}

Expected<nlohmann::json, std::string> WebexClient::get_me(HttpTransport& transport) const {
    ApiRequest request;
    request.method = HttpMethod::Get;
    request.path = "/people/me";
    request.endpoint = "GET /people/me";
    const HttpRequest http = build(request, 0, 1);
    auto answer = transport.perform(http);
    if (!answer) {
        return unexpected("could not reach the Webex API at " + m_config.base_url + ": " +
                          answer.error().message);
    }
    ApiResult result;
    fill_result(*answer, result);
    if (answer->status == 401) {
        return unexpected("the token was rejected (401): " + result.message +
                          "; check WEBEX_ACCESS_TOKEN, --token-file or --token-command");
    }
    if (!is_success(answer->status)) {
        return unexpected("GET " + http.url + " answered " + std::to_string(answer->status) + ": " +
                          result.message);
    }
    if (!result.body().is_object()) {
        return unexpected("GET " + http.url + " answered " + std::to_string(answer->status) +
                          " without a JSON person");
    }
    return result.body();
}

}  // namespace wxbatch::webex
