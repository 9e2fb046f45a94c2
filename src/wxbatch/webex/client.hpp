#pragma once
// WebexClient: turns an ApiRequest into an HttpRequest (base URL, auth, TrackingID, JSON) and
// an HTTP answer into ApiResult fields. It never retries: that is the resilience core's job.
// The token is held privately and appears only in the Authorization header it builds.

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "wxbatch/util/expected.hpp"
#include "wxbatch/webex/api.hpp"
#include "wxbatch/webex/http.hpp"

namespace wxbatch::webex {

struct WebexClientConfig {
    std::string base_url;  // e.g. "https://webexapis.com/v1" or "http://127.0.0.1:PORT/v1"
    std::string run_id;    // goes into every TrackingID
    std::chrono::milliseconds request_timeout{30000};
};

class WebexClient {
  public:
    WebexClient(WebexClientConfig config, std::string token);
    ~WebexClient();  // wipes the token from memory
    WebexClient(const WebexClient&) = default;
    WebexClient& operator=(const WebexClient&) = default;
    WebexClient(WebexClient&&) = default;
    WebexClient& operator=(WebexClient&&) = default;

    const WebexClientConfig& config() const { return m_config; }

    // The token for display: its length only, e.g. "<redacted, 64 chars>".
    std::string redacted() const;

    // The HTTP request for `request` as attempt `attempt` of CSV row `row`: the URL from the
    // base, path and (encoded) query; Authorization: Bearer; Accept and, with a body,
    // Content-Type application/json; TrackingID WXBATCH_<run_id>_<row>_<attempt>;
    // User-Agent wxbatch/<version>; the configured timeout.
    HttpRequest build(const ApiRequest& request, std::uint64_t row, int attempt) const;

    // The TrackingID value for attempt `attempt` of row `row`.
    std::string tracking_id(std::uint64_t row, int attempt) const;

    // Copies an answer into `result`: http_status; status Ok for 2xx, HttpError otherwise (the
    // resilient caller may refine it); the body parsed leniently (null when empty or not JSON);
    // for a non-2xx answer the Webex error summary as message; the tracking id from the body's
    // trackingId, else the TrackingID response header (any case); the headers.
    static void fill_result(const HttpResponse& response, ApiResult& result);

    // Validates the token with GET /people/me (row 0, attempt 1): the person, or a message
    // for an operator ("the token was rejected (401): ..." / the status / the transport error,
    // naming the base URL). Never retries and never includes the token.
    Expected<nlohmann::json, std::string> get_me(HttpTransport& transport) const;

  private:
    WebexClientConfig m_config;
    std::string m_token;
};

}  // namespace wxbatch::webex
