#pragma once
// Why a request (and the run) stopped before its outcome was known.

namespace wxbatch::resilience {

enum class StopReason {
    None,
    Signal,           // the operator asked to stop (SIGINT/SIGTERM): ABORTED_BY_POLICY
    SystemicBreaker,  // the circuit breaker stayed open past its policy: FAILED_SYSTEMIC
    SystemicAuth,     // a 401 that persisted after re-validating the token
    SystemicScope,    // 403 on many consecutive distinct rows: a missing scope
    SystemicConfig,   // invalid global configuration (TLS failure, unknown base path)
};

// "none", "signal", "systemic_breaker", "systemic_auth", "systemic_scope", "systemic_config".
const char* to_string(StopReason r);

}  // namespace wxbatch::resilience
