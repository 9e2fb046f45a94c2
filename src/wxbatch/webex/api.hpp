#pragma once
// The per-row view of the Webex API that actions use. The engine implements ApiCaller with
// the resilience core (retry, Retry-After, rate governor, circuit breaker, classifier) on top of
// an HttpTransport; actions only say what to call and read what came back, so their logic is
// plain sequential code and testable with a scripted caller.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "wxbatch/webex/http.hpp"

namespace wxbatch::webex {

// How a failed row is classified in row_errors.csv (the `error_class` column).
enum class ErrorClass {
    RowErrorNonRetryable,  // validation, conflict, not found for this row: record, continue
    TransientRetryable,    // 429/5xx/timeout/network with retries exhausted: retried on --resume
    SystemicFatal,         // the run must stop (persistent 401, missing scope, bad base URL)
    OutcomeUnknown,        // a non-idempotent mutation may or may not have been applied
};

const char* to_string(ErrorClass c);  // "ROW_ERROR_NON_RETRYABLE", ...

struct ApiRequest {
    HttpMethod method = HttpMethod::Get;
    std::string path;  // relative to the base URL, e.g. "/people" or "/people/abc"
    std::vector<std::pair<std::string, std::string>> query;  // URL-encoded by the caller
    std::optional<nlohmann::json> body;  // sent as application/json when present
    // True for POST/PUT/PATCH/DELETE that change state: after an ambiguous failure the caller
    // does not resend on its own but returns CallStatus::Ambiguous so the action can verify.
    bool mutating = false;
    // A short label for per-endpoint statistics, e.g. "POST /people".
    std::string endpoint;
    // A mutation that no lookup can verify: sent on a fresh connection (see HttpRequest).
    bool fresh_connection = false;
};

enum class CallStatus {
    Ok,         // a 2xx answer (status and body in ApiResult)
    HttpError,  // a final non-2xx answer that is not retried (4xx other than 423/429)
    Ambiguous,  // a mutating request whose outcome is unknown (timeout/drop after send, 502, 504)
    Exhausted,  // transient failures until the retry budget ran out; nothing known to be applied
    Stopped,    // the run is stopping (systemic failure, operator signal): the row is not done
};

struct ApiResult {
    CallStatus status = CallStatus::Ok;
    int http_status = 0;       // 0 when there was no HTTP answer
    std::string message;       // human-readable error (Webex message + descriptions, or transport)
    std::string tracking_id;   // the server's trackingId for the last answer, if any
    Headers headers;           // the last answer's headers (Link for paging)

    // The answer's body as JSON (null when empty or not JSON). The text is parsed on the first
    // call: most answers (a created membership, a deleted person) are only checked for status.
    const nlohmann::json& body() const;
    void set_body(nlohmann::json body);
    void set_body_text(std::string text);

  private:
    std::string m_body_text;
    mutable std::optional<nlohmann::json> m_body;
};

// One row's access to the API. Not shared between rows. Counts attempts across all calls of
// the row (they number the TrackingID `WXBATCH_<run_id>_<row>_<attempt>`).
class ApiCaller {
public:
    virtual ~ApiCaller() = default;
    virtual ApiResult call(const ApiRequest& request) = 0;
    // Attempts made so far for this row, over all calls.
    virtual int attempts() const = 0;
    // The most attempts this row may use on resends after ambiguous outcomes (retry profile).
    virtual int max_attempts() const = 0;
};

}  // namespace wxbatch::webex
