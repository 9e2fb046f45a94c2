#pragma once
// Detects failures that concern the whole run rather than one row (SPEC §5 SYSTEMIC_FATAL):
// a 401 that persists once the token is re-validated, 403 on many consecutive distinct rows
// (a missing scope), and configuration errors (a 404 on the API root, a TLS failure).
// Thread-safe; once systemic, it stays systemic.

#include <cstdint>
#include <mutex>
#include <optional>

#include "wxbatch/resilience/stop_reason.hpp"

namespace wxbatch::resilience {

class SystemicDetector {
  public:
    explicit SystemicDetector(int forbidden_rows_systemic = 5);

    // A call of `row` got 401. Returns true when the caller must re-validate the token
    // (GET /people/me) and report the result to on_unauthorized(); false when already systemic.
    bool record_401(std::int64_t row);
    // The re-check's result. Returns true (systemic, SystemicAuth) when it also got 401.
    bool on_unauthorized(bool recheck_also_401);
    // A call of `row` got 403. Returns true once K consecutive distinct rows got 403
    // (a repeated 403 of the same row counts once); any success resets the streak.
    bool record_403(std::int64_t row);
    // Any successful call: ends a 403 streak.
    void record_success();
    // A 404 on the API root or an unknown base path: a configuration error. Returns true.
    bool record_404_base_path();
    // Any other configuration error (e.g. TLS). Returns true.
    bool record_config_error();

    // The systemic reason, once one was found.
    std::optional<StopReason> systemic() const;

  private:
    bool mark(StopReason reason);

    const int m_forbidden_rows_systemic;
    mutable std::mutex m_mutex;
    std::optional<StopReason> m_reason;
    int m_forbidden_streak = 0;
    std::optional<std::int64_t> m_last_forbidden_row;
};

}  // namespace wxbatch::resilience
