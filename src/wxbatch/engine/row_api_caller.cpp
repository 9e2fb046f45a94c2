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

}  // namespace

ApiResult RowApiCaller::call(const webex::ApiRequest& request) {
    std::optional<webex::HttpResponse> last_response;
    std::string last_transport_message;

    auto attempt = [&](int) -> resilience::AttemptOutcome {
        ++m_attempts;
        webex::HttpRequest http = m_services.client.build(request, m_row, m_attempts);
        const MonoTime started = m_services.clock.now();
        auto answer = m_services.transport.perform(http);
        const double ms = elapsed_ms(started, m_services.clock.now());

        resilience::AttemptOutcome outcome;
        outcome.mutating = request.mutating;
        if (answer) {
            m_services.endpoint_stats.record(request.endpoint, ms, answer->status);
            outcome.http_status = answer->status;
            outcome.request_may_have_been_sent = true;
            outcome.retry_after = answer->headers.get("Retry-After");
            last_response = std::move(*answer);
            last_transport_message.clear();
        } else {
            m_services.endpoint_stats.record(request.endpoint, ms, 0);
            outcome.transport = answer.error().kind;
            outcome.request_may_have_been_sent = answer.error().request_may_have_been_sent;
            last_transport_message = answer.error().message;
            last_response.reset();
        }
        return outcome;
    };

    resilience::ExecutionResult executed =
        m_services.executor.execute(attempt, request.mutating, m_services.stop.flag());

    ApiResult result;
    if (last_response) {
        webex::WebexClient::fill_result(*last_response, result);
    } else {
        result.message = last_transport_message;
    }

    switch (executed.outcome) {
        case resilience::ExecOutcome::Success:
            m_services.detector.record_success();
            result.status = CallStatus::Ok;
            return result;
        case resilience::ExecOutcome::Ambiguous:
            result.status = CallStatus::Ambiguous;
            return result;
        case resilience::ExecOutcome::GiveUpExhausted:
            result.status = CallStatus::Exhausted;
            return result;
        case resilience::ExecOutcome::Stopped:
            return stop_row(std::move(result), executed.stop_reason == resilience::StopReason::Signal
                                                   ? std::string()
                                                   : describe(executed.stop_reason));
        case resilience::ExecOutcome::NonRetryable:
            break;
    }

    // A final answer that is not retried: a row error, unless it reveals a systemic condition.
    if (executed.last_class.error_class == webex::ErrorClass::SystemicFatal) {
        return stop_row(std::move(result), "systemic failure: " + result.message);
    }
    if (result.http_status == 401) {
        if (!token_still_valid()) {
            return stop_row(std::move(result),
                            "the access token was rejected (401) and a re-check with GET /people/me "
                            "also failed: renew the token, then --resume");
        }
    } else if (result.http_status == 403) {
        if (m_services.detector.record_403(m_row)) {
            return stop_row(std::move(result),
                            "403 Forbidden on many consecutive rows: the token probably lacks a scope "
                            "this action needs (see `wxbatch actions`)");
        }
    } else {
        m_services.detector.record_success();
    }
    result.status = CallStatus::HttpError;
    return result;
}

ApiResult RowApiCaller::stop_row(ApiResult result, const std::string& reason) {
    if (!reason.empty()) {
        m_services.stop.request(StopCause::Systemic, reason);
    }
    result.status = CallStatus::Stopped;
    return result;
}

bool RowApiCaller::token_still_valid() {
    auto me = m_services.client.get_me(m_services.transport);
    bool recheck_also_401 = !me && me.error().find("401") != std::string::npos;
    return !m_services.detector.on_unauthorized(recheck_also_401);
}

}  // namespace wxbatch::engine
