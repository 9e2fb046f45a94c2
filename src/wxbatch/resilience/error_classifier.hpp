#pragma once
// The error classifier (SPEC §5): a pure, table-driven mapping from what one attempt produced
// (HTTP status or transport error, and whether the request mutates) to the error class, whether
// to retry, what the circuit breaker should record, and the counter label of the cause.

#include <optional>
#include <string>

#include "wxbatch/resilience/circuit_breaker.hpp"
#include "wxbatch/resilience/systemic_detector.hpp"
#include "wxbatch/webex/api.hpp"
#include "wxbatch/webex/http.hpp"

namespace wxbatch::resilience {

// What one attempt produced. Exactly one of http_status and transport is normally set.
struct AttemptOutcome {
    std::optional<int> http_status;
    std::optional<webex::TransportErrorKind> transport;
    bool mutating = false;
    bool request_may_have_been_sent = false;  // from TransportError (transport failures only)
    std::optional<std::string> retry_after;   // the raw Retry-After header, if any
};

struct Classification {
    bool ok = false;  // a 2xx answer; the other fields then say "success"
    webex::ErrorClass error_class = webex::ErrorClass::RowErrorNonRetryable;
    bool retryable = false;
    CallVerdict breaker_verdict = CallVerdict::Success;
    // A mutation that may have been applied although it failed: do not resend blindly.
    bool ambiguous = false;
    bool rate_limited = false;  // a 429: pacing, not failure
    std::string cause;          // counter label: "ok", "429", "503", "timeout", "connect", ...
};

// Rules: 2xx ok. 429 rate-limited, retryable, breaker Ignored. 423 retryable, Ignored.
// 500/502/503/504 retryable, Failure. Timeout/connect/dropped/resolve/other transport errors
// retryable, Failure. TLS: SystemicFatal (configuration), Ignored. A body over the size cap and
// every other status (4xx including 401/403, 3xx, 501 and other 5xx): RowErrorNonRetryable,
// breaker Success (other 5xx: Failure). ambiguous = mutating && (502 or 504, or a timeout, or a
// dropped/other transport error with request_may_have_been_sent). A timeout is ambiguous even
// without the flag: it usually strikes after the request was sent, and a duplicate costs more
// than a verification.
Classification classify(const AttemptOutcome& outcome);

}  // namespace wxbatch::resilience
