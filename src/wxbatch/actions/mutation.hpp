#pragma once
// The one place where an action's mutation is sent and its answer turned into a RowOutcome:
// conflict/not-found as already done, ambiguous outcomes verified by a lookup (or resent when
// the request is idempotent, or recorded as OUTCOME_UNKNOWN), resends bounded by the retry
// profile's max_attempts().

#include <functional>
#include <optional>
#include <string>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/webex/api.hpp"

namespace wxbatch::actions {

// Whether the mutation is in effect (true), not (false), or the lookup that failed.
using Verifier = std::function<Expected<bool, webex::ApiResult>()>;

struct MutationPlan {
    webex::ApiRequest request;
    bool conflict_is_done = false;   // 409 -> AlreadyDone (creates)
    bool not_found_is_done = false;  // 404 -> AlreadyDone (deletes)
    // 400 may hide an applied mutation (POST /people?callingData=true): verify, and when not
    // found applied record the 400 as a row error without resending.
    bool bad_request_is_ambiguous = false;
    // Looks up whether the mutation is in effect; empty for actions that cannot tell.
    Verifier verify;
    // Without a verifier: an idempotent request (PUT, PATCH) is resent after an ambiguous
    // outcome; a non-idempotent one only with ExecOptions::resend_ambiguous.
    bool idempotent = false;
    // Turns a 2xx answer into the outcome; empty means Success.
    std::function<RowOutcome(const webex::ApiResult&)> on_ok;
};

// Sends the plan's request (after a verification when options.verify_first) and classifies
// the result. Total sends are at most max(1, api.max_attempts()).
RowOutcome execute_mutation(webex::ApiCaller& api, const MutationPlan& plan,
                            const ExecOptions& options);

// The outcome of a call that failed: HttpError -> ROW_ERROR_NON_RETRYABLE with status, message
// and tracking id; Exhausted (or an ambiguous lookup) -> TRANSIENT_RETRYABLE; Stopped -> NotDone.
RowOutcome failure_outcome(const webex::ApiResult& result);

// An outcome with the given status carrying the result's HTTP status and tracking id.
RowOutcome outcome_from(RowStatus status, const webex::ApiResult& result, std::string message);

// A mutating request: `endpoint` labels it for statistics ("DELETE /people/{id}").
webex::ApiRequest mutation_request(webex::HttpMethod method, std::string path, std::string endpoint,
                                   std::optional<nlohmann::json> body);

// A row error of the given class with a message and no HTTP answer behind it.
RowOutcome row_error(webex::ErrorClass error_class, std::string message);

}  // namespace wxbatch::actions
