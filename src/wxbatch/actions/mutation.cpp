#include "wxbatch/actions/mutation.hpp"

#include <algorithm>
#include <utility>

namespace wxbatch::actions {
namespace {

std::string http_message(const webex::ApiResult& result) {
    std::string text = "HTTP " + std::to_string(result.http_status);
    return result.message.empty() ? text : text + ": " + result.message;
}

// What to do after an ambiguous outcome (or a 400 that may hide an applied create).
enum class AfterAmbiguity { Done, Resend, Stop };

struct Decision {
    AfterAmbiguity next = AfterAmbiguity::Stop;
    RowOutcome outcome;  // when next is Done or Stop
};

Decision resolve_ambiguity(const MutationPlan& plan, const webex::ApiResult& result,
                           const ExecOptions& options, bool last_send) {
    const std::string what = plan.request.endpoint + " outcome unknown (" +
                             (result.message.empty() ? "no answer" : result.message) + ")";
    if (plan.verify) {
        auto applied = plan.verify();
        if (!applied) {
            return {AfterAmbiguity::Stop, failure_outcome(applied.error())};
        }
        if (*applied) {
            return {AfterAmbiguity::Done,
                    outcome_from(RowStatus::AlreadyDone, result, what + "; verified applied")};
        }
        if (!last_send) {
            return {AfterAmbiguity::Resend, {}};
        }
        RowOutcome out = outcome_from(RowStatus::RowError, result,
                                      what + "; verified not applied after every send");
        out.error_class = webex::ErrorClass::TransientRetryable;
        return {AfterAmbiguity::Stop, out};
    }
    if (plan.idempotent || options.resend_ambiguous) {
        if (!last_send) {
            return {AfterAmbiguity::Resend, {}};
        }
        RowOutcome out = outcome_from(RowStatus::RowError, result, what + " after every send");
        out.error_class = plan.idempotent ? webex::ErrorClass::TransientRetryable
                                          : webex::ErrorClass::OutcomeUnknown;
        return {AfterAmbiguity::Stop, out};
    }
    RowOutcome out = outcome_from(RowStatus::RowError, result, what + "; not resent");
    out.error_class = webex::ErrorClass::OutcomeUnknown;
    return {AfterAmbiguity::Stop, out};
}

// The verification made before the first send when the row may already have been applied;
// nullopt means: go on and send.
std::optional<RowOutcome> verify_before_send(const MutationPlan& plan, const ExecOptions& options) {
    if (!options.verify_first) {
        return std::nullopt;
    }
    if (plan.verify) {
        auto applied = plan.verify();
        if (!applied) {
            return failure_outcome(applied.error());
        }
        if (*applied) {
            return outcome_from(RowStatus::AlreadyDone, webex::ApiResult{},
                                "found applied before sending (in flight in a previous run)");
        }
        return std::nullopt;
    }
    if (plan.idempotent || options.resend_ambiguous) {
        return std::nullopt;
    }
    return row_error(webex::ErrorClass::OutcomeUnknown,
                     "in flight when a previous run stopped; not resent (it cannot be verified)");
}

}  // namespace

RowOutcome outcome_from(RowStatus status, const webex::ApiResult& result, std::string message) {
    RowOutcome out;
    out.status = status;
    out.http_status = result.http_status;
    out.tracking_id = result.tracking_id;
    out.message = std::move(message);
    return out;
}

webex::ApiRequest mutation_request(webex::HttpMethod method, std::string path, std::string endpoint,
                                   std::optional<nlohmann::json> body) {
    webex::ApiRequest request;
    request.method = method;
    request.path = std::move(path);
    request.endpoint = std::move(endpoint);
    request.body = std::move(body);
    request.mutating = true;
    return request;
}

RowOutcome row_error(webex::ErrorClass error_class, std::string message) {
    RowOutcome out;
    out.status = RowStatus::RowError;
    out.error_class = error_class;
    out.message = std::move(message);
    return out;
}

RowOutcome failure_outcome(const webex::ApiResult& result) {
    switch (result.status) {
        case webex::CallStatus::Stopped:
            return outcome_from(RowStatus::NotDone, result, "stopped: " + result.message);
        case webex::CallStatus::HttpError:
            return outcome_from(RowStatus::RowError, result, http_message(result));
        case webex::CallStatus::Ok:
        case webex::CallStatus::Ambiguous:
        case webex::CallStatus::Exhausted:
            break;
    }
    RowOutcome out = outcome_from(RowStatus::RowError, result,
                                  result.message.empty() ? "retries exhausted" : result.message);
    out.error_class = webex::ErrorClass::TransientRetryable;
    return out;
}

RowOutcome execute_mutation(webex::ApiCaller& api, const MutationPlan& plan,
                            const ExecOptions& options) {
    if (auto early = verify_before_send(plan, options)) {
        return *early;
    }
    const int max_sends = std::max(1, api.max_attempts());
    webex::ApiRequest request = plan.request;
    request.fresh_connection = !plan.verify && !plan.idempotent;
    for (int send = 1;; ++send) {
        const webex::ApiResult result = api.call(request);
        const bool last_send = send >= max_sends;
        if (result.status == webex::CallStatus::Ok) {
            return plan.on_ok ? plan.on_ok(result) : outcome_from(RowStatus::Success, result, "");
        }
        if (result.status == webex::CallStatus::HttpError) {
            if ((result.http_status == 409 && plan.conflict_is_done) ||
                (result.http_status == 404 && plan.not_found_is_done)) {
                return outcome_from(RowStatus::AlreadyDone, result, http_message(result));
            }
            if (result.http_status == 400 && plan.bad_request_is_ambiguous && plan.verify) {
                auto applied = plan.verify();
                if (!applied) {
                    return failure_outcome(applied.error());
                }
                return *applied ? outcome_from(RowStatus::AlreadyDone, result,
                                               http_message(result) + "; verified applied")
                                : failure_outcome(result);
            }
            return failure_outcome(result);
        }
        if (result.status != webex::CallStatus::Ambiguous) {
            return failure_outcome(result);
        }
        Decision decision = resolve_ambiguity(plan, result, options, last_send);
        if (decision.next != AfterAmbiguity::Resend) {
            return decision.outcome;
        }
    }
}

}  // namespace wxbatch::actions
