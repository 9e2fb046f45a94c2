#pragma once
// The state of one `run` invocation, split over job_setup.cpp (initialization, nothing sent
// until the token check), job_workers.cpp (batch scheduling and row execution) and
// job_finish.cpp (final state, checkpoint, reports). Internal to the engine.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/csv/reader.hpp"
#include "wxbatch/engine/endpoint_stats.hpp"
#include "wxbatch/engine/row_api_caller.hpp"
#include "wxbatch/engine/row_scheduler.hpp"
#include "wxbatch/engine/run_recorder.hpp"
#include "wxbatch/engine/runner.hpp"
#include "wxbatch/engine/stop_control.hpp"
#include "wxbatch/report/progress.hpp"
#include "wxbatch/report/row_errors_writer.hpp"
#include "wxbatch/resilience/circuit_breaker.hpp"
#include "wxbatch/resilience/concurrency_limit.hpp"
#include "wxbatch/resilience/error_classifier.hpp"
#include "wxbatch/resilience/rate_governor.hpp"
#include "wxbatch/resilience/resilient_executor.hpp"
#include "wxbatch/state/checkpoint.hpp"
#include "wxbatch/state/journal.hpp"
#include "wxbatch/state/out_dir_lock.hpp"
#include "wxbatch/webex/client.hpp"

namespace wxbatch::engine {

class JobSession {
public:
    JobSession(const RunOptions& options, RunEnvironment& env);
    ~JobSession();

    // Initialization (SPEC §3): throws UsageError (exit 2) when the run cannot start.
    void setup();
    // Executes the batches until the input ends or a stop is requested.
    void execute();
    // Decides the final state, saves the checkpoint and writes the reports.
    RunResult finish();

private:
    // job_setup.cpp
    void prepare_out_dir();
    void open_input();
    void check_token();
    void open_state();

    // job_workers.cpp
    // One lane: takes rows from the scheduler and executes them on its own connection.
    void lane_loop();
    bool read_batch(ScheduledBatch& batch);
    // Executes one row and records its outcome. Returns false (nothing recorded) when the row's
    // retries ran out on transient failures and `may_defer` lets it try again later.
    bool process_row(std::int64_t batch, const csv::RowRecord& row, WorkerServices& services,
                     bool may_defer);
    void fail_on_write(const Error& error);
    void monitor_until_done(std::atomic<int>& running);
    // Logs (debug, -v) each new rate the pacer set after a 429.
    void log_pacing_changes(long& adjustments_seen);
    void check_error_rate();
    report::ProgressSnapshot snapshot();
    void log_row_error(const csv::RowRecord& row, const actions::RowOutcome& outcome);

    // job_finish.cpp
    RunState decide_state() const;
    void write_reports(RunState state, const std::string& reason);
    void print_summary(RunState state, const std::string& reason) const;

    const RunOptions& m_options;
    RunEnvironment& m_env;
    std::optional<state::OutDirLock> m_lock;
    const actions::Action* m_action = nullptr;
    actions::ColumnMap m_columns;

    std::mutex m_reader_mutex;
    std::optional<csv::CsvReader> m_reader;
    std::int64_t m_next_batch = 0;
    bool m_input_done = false;
    std::string m_input_error;

    state::Checkpoint m_checkpoint;
    state::Counters m_counters_at_start;
    std::unordered_map<std::uint64_t, std::uint8_t> m_journaled;  // resumed rows' outcomes
    std::set<std::uint64_t> m_in_flight_at_crash;
    std::optional<state::Journal> m_journal;
    std::optional<report::RowErrorsWriter> m_row_errors;
    std::unique_ptr<RunRecorder> m_recorder;

    std::string m_token;
    std::unique_ptr<webex::WebexClient> m_client;
    resilience::RetryPolicy m_retry_policy;
    resilience::CircuitBreaker m_breaker;
    resilience::RateGovernor m_governor;
    resilience::ConcurrencyLimit m_concurrency;
    std::unique_ptr<RowScheduler> m_scheduler;
    resilience::SystemicDetector m_detector;
    resilience::ResilienceStats m_stats;
    EndpointStats m_endpoint_stats;
    StopControl m_stop;
    std::unique_ptr<report::ProgressPrinter> m_progress;
    std::mutex m_log_mutex;
    // The last lane to finish wakes the monitor (which otherwise ticks every 50 ms).
    std::mutex m_lanes_mutex;
    std::condition_variable m_lanes_done;

    WallTime m_started_wall;
    MonoTime m_started;
    MonoTime m_last_progress;
};

}  // namespace wxbatch::engine
