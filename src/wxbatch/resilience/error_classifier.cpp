#include "wxbatch/resilience/error_classifier.hpp"

#include <string>

namespace wxbatch::resilience {

namespace {

using webex::ErrorClass;
using webex::TransportErrorKind;

Classification make(ErrorClass cls, bool retryable, CallVerdict verdict, std::string cause) {
    Classification c;
    c.error_class = cls;
    c.retryable = retryable;
    c.breaker_verdict = verdict;
    c.cause = std::move(cause);
    return c;
}

Classification classify_transport(TransportErrorKind kind, const AttemptOutcome& o) {
    const auto transient = [](const char* cause) {
        return make(ErrorClass::TransientRetryable, true, CallVerdict::Failure, cause);
    };
    Classification c;
    switch (kind) {
        case TransportErrorKind::Timeout:
            c = transient("timeout");
            c.ambiguous = o.mutating;
            return c;
        case TransportErrorKind::Connect:
            return transient("connect");
        case TransportErrorKind::Resolve:
            return transient("resolve");
        case TransportErrorKind::ConnectionDropped:
            c = transient("dropped");
            c.ambiguous = o.mutating && o.request_may_have_been_sent;
            return c;
        case TransportErrorKind::Tls:
            return make(ErrorClass::SystemicFatal, false, CallVerdict::Ignored, "tls");
        case TransportErrorKind::BodyTooLarge:
            return make(ErrorClass::RowErrorNonRetryable, false, CallVerdict::Success,
                        "body_too_large");
        case TransportErrorKind::Other:
            break;
    }
    c = transient("transport");
    c.ambiguous = o.mutating && o.request_may_have_been_sent;
    return c;
}

Classification classify_status(int status, const AttemptOutcome& o) {
    const std::string cause = std::to_string(status);
    if (status >= 200 && status < 300) {
        Classification c =
            make(ErrorClass::RowErrorNonRetryable, false, CallVerdict::Success, "ok");
        c.ok = true;
        return c;
    }
    if (status == 429) {
        Classification c = make(ErrorClass::TransientRetryable, true, CallVerdict::Ignored, cause);
        c.rate_limited = true;
        return c;
    }
    if (status == 423) {
        return make(ErrorClass::TransientRetryable, true, CallVerdict::Ignored, cause);
    }
    if (status == 500 || status == 502 || status == 503 || status == 504) {
        Classification c = make(ErrorClass::TransientRetryable, true, CallVerdict::Failure, cause);
        c.ambiguous = o.mutating && (status == 502 || status == 504);
        return c;
    }
    if (status >= 500) {
        return make(ErrorClass::RowErrorNonRetryable, false, CallVerdict::Failure, cause);
    }
    return make(ErrorClass::RowErrorNonRetryable, false, CallVerdict::Success, cause);
}

}  // namespace

Classification classify(const AttemptOutcome& outcome) {
    if (outcome.http_status) {
        return classify_status(*outcome.http_status, outcome);
    }
    return classify_transport(outcome.transport.value_or(TransportErrorKind::Other), outcome);
}

}  // namespace wxbatch::resilience
