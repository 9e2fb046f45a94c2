// Batch scheduling and row execution: `max_inflight_requests` lanes (threads, each with its own
// connection) take rows from the RowScheduler (at most `max_inflight_batches` batches open, rows
// in input order, rows on the same target one at a time), pass the ConcurrencyLimit (how many
// may be in flight given the learned rate), execute them through the action and the resilient
// caller, and hand every outcome to the RunRecorder. The calling thread watches: signals,
// progress lines, the end.

#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "wxbatch/engine/job_session.hpp"
#include "wxbatch/report/log.hpp"

namespace wxbatch::engine {

void JobSession::execute() {
    if (auto r = m_recorder->save("RUNNING", ""); !r) {
        throw UsageError("cannot write the checkpoint: " + r.error().message);
    }
    if (m_env.install_signal_handlers) {
        m_stop.install_signal_handlers();
    }
    m_started = m_env.clock.now();
    m_started_wall = m_env.clock.wall_now();
    m_last_progress = m_started;
    using Mode = report::ProgressPrinter::Mode;
    Mode mode = Mode::Lines;
    if (m_options.progress == "never" || m_options.quiet) {
        mode = Mode::Never;
    } else if (m_options.progress == "auto" && m_env.err_is_tty) {
        mode = Mode::Tty;
    }
    m_progress = std::make_unique<report::ProgressPrinter>(
        m_env.err, mode, Duration(m_options.progress_interval_s),
        [] { return report::terminal_width(STDERR_FILENO); });

    m_governor.configure(m_options.resilience.pacing);
    const int batches = std::max(1, m_options.max_inflight_batches);
    const int lanes = std::max(batches, effective_inflight_requests(m_options));
    resilience::ConcurrencySettings concurrency;
    concurrency.floor = batches;
    concurrency.ceiling = lanes;
    m_concurrency.configure(concurrency);
    m_scheduler = std::make_unique<RowScheduler>(
        static_cast<std::size_t>(batches),
        [this](ScheduledBatch& batch) { return read_batch(batch); },
        [this](const csv::RowRecord& row) { return m_action->ordering_key(row, m_columns); });
    std::atomic<int> running{lanes};
    {
        std::vector<std::jthread> pool;
        pool.reserve(static_cast<std::size_t>(lanes));
        for (int i = 0; i < lanes; ++i) {
            pool.emplace_back([this, &running] {
                lane_loop();
                if (running.fetch_sub(1) == 1) {
                    std::lock_guard lock(m_lanes_mutex);
                    m_lanes_done.notify_all();
                }
            });
        }
        monitor_until_done(running);
    }  // joins the lanes
    m_stop.poll_signals();
}

void JobSession::lane_loop() {
    auto transport = m_env.make_transport();
    resilience::ResilientExecutor executor(
        m_retry_policy, m_breaker, m_governor, m_detector, m_env.clock, m_env.sleeper,
        m_env.random, m_stats, Duration(m_options.resilience.retry_after_cap_s),
        m_options.resilience.rate_limit);
    executor.set_token_recheck([this, &transport] {
        auto me = m_client->get_me(*transport);
        return !me && me.error().find("(401)") != std::string::npos;
    });
    WorkerServices services{*m_client, *transport,       executor,
                            m_stop,    m_endpoint_stats, m_env.clock,
                            m_options.resilience.retry.max_attempts, &m_concurrency};
    const std::atomic<bool>& stop = m_stop.flag();
    // Rows not handed out, or handed out but not started, when a stop comes stay unjournaled:
    // --resume executes them.
    while (auto task = m_scheduler->next(stop)) {
        if (!m_scheduler->wait_turn(*task, stop)) {
            m_scheduler->finish(*task, false);
            return;
        }
        if (!m_concurrency.acquire(stop)) {
            m_scheduler->finish(*task, false);
            return;
        }
        // Rows whose retries ran out on transient failures (may_defer) get one more round at the
        // end of their batch: when the failures were the service's (an outage that then opened
        // the breaker), the rows after them waited it out, and so do these.
        const bool recorded = process_row(task->batch, *task->row, services, task->may_defer);
        m_concurrency.release();
        m_scheduler->finish(*task, !recorded);
    }
}

bool JobSession::read_batch(ScheduledBatch& batch) {
    std::lock_guard lock(m_reader_mutex);
    batch.rows.clear();
    if (m_input_done || m_stop.stopping()) {
        return false;
    }
    while (batch.rows.size() < m_options.batch_size) {
        auto next = m_reader->next();
        if (!next) {
            m_input_error = next.error().message;
            m_stop.request(StopCause::Systemic, "input error: " + m_input_error);
            m_input_done = true;
            break;
        }
        if (!next->has_value()) {
            m_input_done = true;
            break;
        }
        m_recorder->count_read();
        batch.rows.push_back(std::move(**next));
    }
    if (batch.rows.empty()) {
        return false;
    }
    batch.index = m_next_batch++;
    const csv::RowRecord& last = batch.rows.back();
    m_recorder->open_batch(batch.index, batch.rows.size(),
                           InputPosition{last.next_offset, last.row_number + 1,
                                         last.next_line_number});
    return true;
}

bool JobSession::process_row(std::int64_t batch, const csv::RowRecord& row,
                             WorkerServices& services, bool may_defer) {
    if (auto it = m_journaled.find(row.row_number); it != m_journaled.end()) {
        if (auto r = m_recorder->replay(
                batch, static_cast<actions::RowStatus>(state::outcome_status(it->second))); !r) {
            fail_on_write(r.error());
        }
        return true;
    }
    actions::RowOutcome outcome;
    int attempts = 0;
    if (auto invalid = m_action->validate(row, m_columns)) {
        outcome.status = actions::RowStatus::RowError;
        outcome.error_class = webex::ErrorClass::RowErrorNonRetryable;
        outcome.message = invalid->message;
    } else {
        if (auto r = m_recorder->begin_row(row.row_number); !r) {
            fail_on_write(r.error());
            return true;
        }
        RowApiCaller api(services, row.row_number);
        actions::ExecOptions exec;
        exec.verify_first = m_in_flight_at_crash.count(row.row_number) != 0;
        exec.resend_ambiguous = m_options.resend_ambiguous;
        outcome = m_action->execute(row, m_columns, api, exec);
        attempts = api.attempts();
        if (outcome.status == actions::RowStatus::NotDone) {
            return true;
        }
        if (may_defer && outcome.status == actions::RowStatus::RowError &&
            outcome.error_class == webex::ErrorClass::TransientRetryable) {
            return false;
        }
    }
    if (outcome.status == actions::RowStatus::RowError) {
        log_row_error(row, outcome);
    }
    if (auto r = m_recorder->record(batch, row, outcome, attempts); !r) {
        fail_on_write(r.error());
        return true;
    }
    check_error_rate();
    return true;
}

void JobSession::fail_on_write(const Error& error) {
    m_stop.request(StopCause::Systemic, "cannot record progress: " + error.message +
                                            " (the last checkpoint is intact; free space, then "
                                            "--resume)");
}

void JobSession::check_error_rate() {
    if (m_options.max_row_error_rate >= 1.0) {
        return;
    }
    const RowCounts counts = m_recorder->live_counts();
    if (counts.processed < m_options.min_rows_for_error_rate || counts.processed == 0) {
        return;
    }
    const double rate =
        static_cast<double>(counts.row_errors) / static_cast<double>(counts.processed);
    if (rate > m_options.max_row_error_rate) {
        m_stop.request(StopCause::ErrorRatePolicy,
                       "row error rate " + std::to_string(rate * 100).substr(0, 5) +
                           "% exceeded --max-row-error-rate after " +
                           std::to_string(counts.processed) + " rows");
    }
}

void JobSession::monitor_until_done(std::atomic<int>& running) {
    long adjustments_seen = 0;
    while (running.load() > 0) {
        {
            std::unique_lock lock(m_lanes_mutex);
            if (m_lanes_done.wait_for(lock, std::chrono::milliseconds(50),
                                      [&running] { return running.load() == 0; })) {
                break;
            }
        }
        m_stop.poll_signals();
        // The in-flight limit follows the pacer's rate (checked here, not on every row).
        m_concurrency.set_rate(m_governor.pacing_rate(m_env.clock.now()));
        log_pacing_changes(adjustments_seen);
        m_progress->tick(snapshot(), m_env.clock.now(), false);
    }
    m_progress->tick(snapshot(), m_env.clock.now(), true);
}

void JobSession::log_pacing_changes(long& adjustments_seen) {
    const resilience::PacerCounters pacing = m_governor.counters().pacing;
    if (pacing.adjustments == adjustments_seen) {
        return;
    }
    adjustments_seen = pacing.adjustments;
    std::string line = "rate limited (429): pacing at " + fmt::format("{:.0f}", pacing.rate) +
                       " requests/s";
    if (pacing.modelled_rate > 0) {
        line += fmt::format(" (server modelled: {:.0f} requests/s, burst {:.0f})",
                            pacing.modelled_rate, pacing.burst);
    }
    line += ", up to " + std::to_string(m_concurrency.limit()) + " in flight; from " +
            m_governor.pacing_basis();
    using report::LogField;
    report::log(report::LogLevel::Debug, "pacing", std::move(line),
                {LogField{"rate", std::llround(pacing.rate)}, LogField{"burst", std::llround(pacing.burst)},
                 LogField{"decreases", static_cast<std::int64_t>(pacing.decreases)},
                 LogField{"in_flight_limit", static_cast<std::int64_t>(m_concurrency.limit())}});
}

report::ProgressSnapshot JobSession::snapshot() {
    const RowCounts counts = m_recorder->live_counts();
    report::ProgressSnapshot s;
    s.processed = counts.processed;
    s.success = counts.success;
    s.already_done = counts.already_done;
    s.row_errors = counts.row_errors;
    s.retries = m_stats.retries_total();
    const MonoTime now = m_env.clock.now();
    s.elapsed_s = Duration(now - m_started).count();
    const std::uint64_t done_now = counts.processed - m_counters_at_start.processed;
    s.rows_per_s = s.elapsed_s > 0 ? static_cast<double>(done_now) / s.elapsed_s : 0.0;
    if (m_checkpoint.input.size > 0) {
        const auto cp = m_recorder->checkpoint();
        s.fraction = std::min(1.0, static_cast<double>(cp.next_offset) /
                                       static_cast<double>(m_checkpoint.input.size));
        bool read_to_end = false;
        {
            std::lock_guard lock(m_reader_mutex);
            read_to_end = m_input_done && m_input_error.empty();
        }
        s.rows_total_exact = read_to_end;
        s.rows_total = read_to_end ? m_checkpoint.next_row - 1 + m_recorder->rows_read()
                                   : report::estimate_rows_total(
                                         cp.next_row - 1, m_reader->header_end_offset(),
                                         cp.next_offset, m_checkpoint.input.size);
        if (s.rows_total > 0) {  // 0: no batch confirmed yet, the total is not known
            s.rows_total = std::max(s.rows_total, s.processed);
        }
    }
    s.breaker = resilience::to_string(m_breaker.state(now));
    if (auto until = m_governor.paused_until(now)) {
        s.paused_for_s = Duration(*until - now).count();
    }
    return s;
}

void JobSession::log_row_error(const csv::RowRecord& row, const actions::RowOutcome& outcome) {
    if (m_options.quiet) {
        return;
    }
    std::string line = "row " + std::to_string(row.row_number) + " (line " +
                       std::to_string(row.line_number) + "): " +
                       webex::to_string(outcome.error_class);
    if (outcome.http_status != 0) {
        line += " " + std::to_string(outcome.http_status);
    }
    line += ": " + outcome.message;
    if (!outcome.tracking_id.empty()) {
        line += " [trackingId " + outcome.tracking_id + "]";
    }
    using report::LogField;
    report::log(report::LogLevel::Warning, "row_error", std::move(line),
                {LogField{"row", static_cast<std::int64_t>(row.row_number)},
                 LogField{"line", static_cast<std::int64_t>(row.line_number)},
                 LogField{"error_class", webex::to_string(outcome.error_class)},
                 LogField{"http_status", static_cast<std::int64_t>(outcome.http_status)},
                 LogField{"tracking_id", outcome.tracking_id},
                 LogField{"message", outcome.message}});
}

}  // namespace wxbatch::engine
