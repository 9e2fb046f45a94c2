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

const nlohmann::json& ApiResult::body() const {
    if (!m_body) {
        m_body = nlohmann::json::parse(m_body_text, nullptr, /*allow_exceptions=*/false);
        if (m_body->is_discarded()) {
            m_body = nullptr;
        }
    }
    return *m_body;
}

void ApiResult::set_body(nlohmann::json body) {
    m_body_text.clear();
    m_body = std::move(body);
}

void ApiResult::set_body_text(std::string text) {
    m_body_text = std::move(text);
    m_body.reset();
}

}  // namespace wxbatch::webex
