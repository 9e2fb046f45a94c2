// The end of a run: the final state (SPEC §3), the checkpoint, run_summary.json and the
// human summary on stdout with the exact --resume command when the run can be resumed.

#include <ostream>

#include <fmt/format.h>

#include "wxbatch/engine/job_session.hpp"
#include "wxbatch/report/log.hpp"
#include "wxbatch/report/run_summary.hpp"
#include "wxbatch/report/summary_text.hpp"
#include "wxbatch/util/iso_time.hpp"

namespace wxbatch::engine {

RunState JobSession::decide_state() const {
    switch (m_stop.cause()) {
        case StopCause::Signal:
        case StopCause::ErrorRatePolicy:
            return RunState::AbortedByPolicy;
        case StopCause::Systemic:
            return RunState::FailedSystemic;
        case StopCause::None:
            break;
    }
    return m_recorder->live_counts().row_errors > 0 ? RunState::CompletedWithRowErrors
                                                    : RunState::Completed;
}

RunResult JobSession::finish() {
    const RunState state = decide_state();
    const std::string reason = m_stop.reason();
    // The save syncs the journal and row_errors.csv first.
    if (auto r = m_recorder->save(to_string(state), reason); !r) {
        report::log(report::LogLevel::Error, "write_failed",
                    "cannot save the checkpoint: " + r.error().message);
    }
    write_reports(state, reason);
    print_summary(state, reason);
    return RunResult{state, reason};
}

void JobSession::write_reports(RunState state, const std::string& reason) {
    const state::Checkpoint cp = m_recorder->checkpoint();
    const RowCounts counts = m_recorder->live_counts();
    const double duration = Duration(m_env.clock.now() - m_started).count();

    report::RunSummary s;
    s.run_id = cp.run_id;
    s.action = cp.action;
    s.input = report::RunSummary::Input{cp.input.path, cp.input.size, cp.input.sha256,
                                        cp.input.header};
    s.state = to_string(state);
    s.reason = reason;
    s.started_at = cp.started_at;
    s.finished_at = iso8601_utc(m_env.clock.wall_now());
    s.duration_s = duration;
    s.totals.read = m_counters_at_start.processed + m_recorder->rows_read();
    s.totals.processed = counts.processed;
    s.totals.success = counts.success;
    s.totals.already_done = counts.already_done;
    s.totals.row_errors = counts.row_errors;
    s.totals.systemic_errors = state == RunState::FailedSystemic ? 1 : 0;
    const nlohmann::json stats = m_stats.to_json();
    s.retries.total = static_cast<std::uint64_t>(m_stats.retries_total());
    for (const auto& [cause, n] : stats["retries"]["by_cause"].items()) {
        s.retries.by_cause[cause] = n.get<std::uint64_t>();
    }
    s.rate_limit_waits.count = static_cast<std::uint64_t>(m_stats.rate_limit_waits());
    s.rate_limit_waits.seconds = m_stats.rate_limit_wait_s();
    if (stats.contains("pacing")) {
        s.rate_pacing = stats["pacing"];
    }
    // How many requests were in flight: the ceiling, the limit the learned rate led to, the peak.
    s.rate_pacing["in_flight"] = {
        {"ceiling", std::max(1, effective_inflight_requests(m_options))},
        {"limit_at_end", m_concurrency.limit()},
        {"peak", m_concurrency.peak_in_use()},
        {"latency_avg_ms", m_concurrency.latency_s() * 1000.0}};
    const resilience::BreakerCounters breaker = m_breaker.counters(m_env.clock.now());
    s.breaker.opens = static_cast<std::uint64_t>(breaker.opens);
    s.breaker.half_opens = static_cast<std::uint64_t>(breaker.half_opens);
    s.breaker.closes = static_cast<std::uint64_t>(breaker.closes);
    s.breaker.seconds_open = breaker.seconds_open;
    s.resumes = cp.resumes;
    const std::uint64_t done_now = counts.processed - m_counters_at_start.processed;
    s.throughput_rows_per_s = duration > 0 ? static_cast<double>(done_now) / duration : 0.0;
    m_endpoint_stats.fill(s);
    s.configuration = cp.settings;
    if (auto r = report::write_run_summary(m_options.out_dir, s, *m_env.fs); !r) {
        report::log(report::LogLevel::Error, "write_failed",
                    "cannot write run_summary.json: " + r.error().message);
    }
}

void JobSession::print_summary(RunState state, const std::string& reason) const {
    const RowCounts counts = m_recorder->live_counts();
    report::SummaryFacts f;
    f.state = to_string(state);
    f.reason = reason;
    f.processed = counts.processed;
    f.processed_this_session = counts.processed - m_counters_at_start.processed;
    f.success = counts.success;
    f.already_done = counts.already_done;
    f.row_errors = counts.row_errors;
    f.duration_s = Duration(m_env.clock.now() - m_started).count();
    f.retries = static_cast<std::uint64_t>(m_stats.retries_total());
    f.rate_limit_pauses = static_cast<std::uint64_t>(m_stats.rate_limit_waits());
    f.rate_limit_pause_s = m_stats.rate_limit_wait_s();
    f.breaker_opens = static_cast<std::uint64_t>(m_breaker.counters(m_env.clock.now()).opens);
    f.out_dir = m_options.out_dir;
    f.resumable = is_resumable(state);
    f.input = m_options.input;
    f.action = m_options.action;
    if (m_options.base_url != RunOptions{}.base_url) {
        f.base_url = m_options.base_url;
    }
    m_env.out << report::format_summary_text(f);
    m_env.out.flush();
}

}  // namespace wxbatch::engine
