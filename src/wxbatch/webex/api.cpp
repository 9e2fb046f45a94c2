#include "wxbatch/webex/api.hpp"

namespace wxbatch::webex {

const char* to_string(ErrorClass c) {
    switch (c) {
        case ErrorClass::RowErrorNonRetryable:
            return "ROW_ERROR_NON_RETRYABLE";
        case ErrorClass::TransientRetryable:
            return "TRANSIENT_RETRYABLE";
        case ErrorClass::SystemicFatal:
            return "SYSTEMIC_FATAL";
        case ErrorClass::OutcomeUnknown:
            return "OUTCOME_UNKNOWN";
    }
    return "ROW_ERROR_NON_RETRYABLE";
}

}  // namespace wxbatch::webex
