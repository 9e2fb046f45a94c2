#include "wxbatch/engine/row_api_caller.hpp"

#include <optional>
#include <string>

namespace wxbatch::engine {

using webex::ApiResult;
using webex::CallStatus;

namespace {

double elapsed_ms(MonoTime from, MonoTime to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

// The operator-facing reason a systemic stop ends the run with.
std::string describe(resilience::StopReason reason, const std::string& last_message) {
    const std::string detail = last_message.empty() ? "" : " (last answer: " + last_message + ")";
    switch (reason) {
        case resilience::StopReason::SystemicBreaker:
            return "the circuit breaker stayed open past its policy: the service is failing" +
                   detail;
        case resilience::StopReason::SystemicAuth:
            return "the access token was rejected (401) and a re-check with GET /people/me also "
                   "failed: renew the token, then --resume" +
                   detail;
        case resilience::StopReason::SystemicScope:
            return "403 Forbidden on many consecutive rows: the token probably lacks a scope this "
                   "action needs (see `wxbatch actions`)" +
                   detail;
        case resilience::StopReason::SystemicConfig:
            return "configuration error (base URL or TLS)" + detail;
        case resilience::StopReason::Signal:
        case resilience::StopReason::None:
            break;
    }
    return "";
}

}  // namespace

ApiResult RowApiCaller::call(const webex::ApiRequest& request) {
    std::optional<webex::HttpResponse> last_response;
    std::string last_transport_message;

    auto attempt = [&](int attempt_of_call) -> resilience::AttemptOutcome {
        ++m_attempts;
        webex::HttpRequest http = m_services.client.build(request, m_row, m_attempts);
        const MonoTime started = m_services.clock.now();
        auto answer = m_services.transport.perform(http);
        const double took_ms = elapsed_ms(started, m_services.clock.now());
        m_services.endpoint_stats.record(
            {request.endpoint, took_ms,
             answer ? std::to_string(answer->status) : webex::to_string(answer.error().kind),
             attempt_of_call > 1});
        if (m_services.concurrency != nullptr) {
            m_services.concurrency->observe_latency(took_ms / 1000.0);
        }

        resilience::AttemptOutcome outcome;
        outcome.mutating = request.mutating;
        if (answer) {
            outcome.http_status = answer->status;
            outcome.request_may_have_been_sent = true;
            outcome.retry_after = answer->headers.get("Retry-After");
            last_response = std::move(*answer);
            last_transport_message.clear();
        } else {
            outcome.transport = answer.error().kind;
            outcome.request_may_have_been_sent = answer.error().request_may_have_been_sent;
            last_transport_message = answer.error().message;
            last_response.reset();
        }
        return outcome;
    };

    const resilience::ExecutionResult executed = m_services.executor.execute(
        attempt, request.mutating, m_services.stop.flag(), static_cast<std::int64_t>(m_row));

    ApiResult result;
    if (last_response) {
        webex::WebexClient::fill_result(*last_response, result);
    } else {
        result.message = last_transport_message;
    }

    switch (executed.outcome) {
        case resilience::ExecOutcome::Success:
            result.status = CallStatus::Ok;
            break;
        case resilience::ExecOutcome::NonRetryable:
            result.status = CallStatus::HttpError;
            if (executed.last_class.error_class == webex::ErrorClass::SystemicFatal) {
                m_services.stop.request(StopCause::Systemic, "systemic failure: " + result.message);
                result.status = CallStatus::Stopped;
            }
            break;
        case resilience::ExecOutcome::Ambiguous:
            result.status = CallStatus::Ambiguous;
            break;
        case resilience::ExecOutcome::GiveUpExhausted:
            result.status = CallStatus::Exhausted;
            break;
        case resilience::ExecOutcome::Stopped: {
            const std::string reason = describe(executed.stop_reason, result.message);
            if (!reason.empty()) {
                m_services.stop.request(StopCause::Systemic, reason);
            }
            result.status = CallStatus::Stopped;
            break;
        }
    }
    return result;
}

}  // namespace wxbatch::engine
