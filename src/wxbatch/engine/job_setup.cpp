// Initialization of a run (SPEC §3): everything here fails with UsageError (exit 2), and the
// only request sent before the job is the token check GET /people/me.

#include <filesystem>
#include <system_error>

#include "wxbatch/engine/job_session.hpp"
#include "wxbatch/util/error.hpp"
#include "wxbatch/util/iso_time.hpp"
#include "wxbatch/util/sha256.hpp"
#include "wxbatch/webex/token.hpp"

namespace wxbatch::engine {

namespace fs = std::filesystem;

namespace {

const char* const k_run_files[] = {"checkpoint.json", "run_summary.json", "row_errors.csv",
                                   "journal.wxj"};

// Reads the whole input once (streaming, constant memory) so that a structural error anywhere in
// it (an unbalanced quote, invalid UTF-8, a NUL byte) stops the run before anything is sent,
// instead of halfway through. Returns the number of data rows.
std::uint64_t prescan_input(const std::string& path, char delimiter) {
    auto reader = csv::CsvReader::open(path, csv::CsvOptions{delimiter});
    if (!reader) {
        throw UsageError(reader.error().message);
    }
    std::uint64_t rows = 0;
    while (true) {
        auto next = reader->next();
        if (!next) {
            throw UsageError(next.error().message + " (nothing was sent: fix the file, then run "
                                                    "again; `wxbatch validate` lists row errors)");
        }
        if (!next->has_value()) {
            return rows;
        }
        ++rows;
    }
}

std::string describe_missing_input(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return "input file not found: " + path;
    }
    return "cannot read input file: " + path;
}

}  // namespace

JobSession::JobSession(const RunOptions& options, RunEnvironment& env)
    : m_options(options),
      m_env(env),
      m_retry_policy(options.resilience.retry),
      m_breaker(options.resilience.breaker),
      m_detector(options.resilience.forbidden_rows_systemic) {}

JobSession::~JobSession() = default;

void JobSession::setup() {
    m_action = actions::find_action(m_options.action);
    if (m_action == nullptr) {
        throw UsageError("unknown action '" + m_options.action +
                         "' (run `wxbatch actions` for the list)");
    }
    prepare_out_dir();
    open_input();
    check_token();
    open_state();
}

void JobSession::prepare_out_dir() {
    std::error_code ec;
    fs::create_directories(m_options.out_dir, ec);
    if (ec) {
        throw UsageError("cannot create output directory " + m_options.out_dir + ": " +
                         ec.message());
    }
    auto lock = state::OutDirLock::acquire(m_options.out_dir);
    if (!lock) {
        throw UsageError(lock.error().message);
    }
    m_lock.emplace(std::move(*lock));
    auto loaded = state::load_checkpoint(m_options.out_dir);
    if (!loaded) {
        throw UsageError(loaded.error().message);
    }
    if (m_options.resume) {
        if (!loaded->has_value()) {
            throw UsageError("--resume: no checkpoint.json in " + m_options.out_dir +
                             " (nothing to resume; run without --resume to start)");
        }
        m_checkpoint = **loaded;
        return;
    }
    if (loaded->has_value()) {
        auto state = parse_run_state((*loaded)->state);
        if (!state || !is_final(*state)) {
            throw UsageError("the output directory " + m_options.out_dir +
                             " holds an unfinished run (" + (*loaded)->run_id + ", state " +
                             (*loaded)->state +
                             "): continue it with --resume, or choose another --out; re-running "
                             "from the top is how duplicates happen");
        }
    }
    for (const char* name : k_run_files) {
        fs::remove(fs::path(m_options.out_dir) / name, ec);
    }
}

void JobSession::open_input() {
    std::error_code ec;
    if (!fs::is_regular_file(m_options.input, ec)) {
        throw UsageError(describe_missing_input(m_options.input));
    }
    auto reader = csv::CsvReader::open(m_options.input, csv::CsvOptions{m_options.delimiter});
    if (!reader) {
        throw UsageError(reader.error().message);
    }
    auto columns = m_action->bind_header(reader->header());
    if (!columns) {
        throw UsageError(m_options.input + ": " + columns.error());
    }
    m_columns = std::move(*columns);
    auto digest = sha256_file(m_options.input);
    if (!digest) {
        throw UsageError(digest.error().message);
    }
    const auto size = fs::file_size(m_options.input, ec);

    if (m_options.resume) {
        if (m_checkpoint.input.sha256 != *digest) {
            throw UsageError("--resume refused: " + m_options.input +
                             " is not the file this run started with (SHA-256 differs from "
                             "the checkpoint's, recorded for " +
                             m_checkpoint.input.path + ")");
        }
        if (m_checkpoint.action != m_options.action) {
            throw UsageError("--resume refused: the run in " + m_options.out_dir + " is action " +
                             m_checkpoint.action + ", not " + m_options.action);
        }
        if (auto r = reader->seek(m_checkpoint.next_offset, m_checkpoint.next_row,
                                  m_checkpoint.next_line);
            !r) {
            throw UsageError("--resume: " + r.error().message);
        }
        m_next_batch = m_checkpoint.last_confirmed_batch + 1;
    } else {
        prescan_input(m_options.input, m_options.delimiter);
        m_checkpoint = state::Checkpoint{};
        m_checkpoint.run_id = state::new_run_id();
        m_checkpoint.input.path = m_options.input;
        m_checkpoint.input.size = size;
        m_checkpoint.input.sha256 = *digest;
        m_checkpoint.input.header = reader->header();
        m_checkpoint.action = m_options.action;
        m_checkpoint.batch_size = static_cast<int>(m_options.batch_size);
        m_checkpoint.next_offset = reader->header_end_offset();
        m_checkpoint.next_line = reader->header_end_line();
        m_checkpoint.next_row = 1;
        m_checkpoint.started_at = iso8601_utc(m_env.clock.wall_now());
    }
    m_reader.emplace(std::move(*reader));
}

void JobSession::open_state() {
    if (m_options.resume) {
        auto journal_state = state::load_journal(m_options.out_dir, m_checkpoint.run_id);
        if (!journal_state) {
            throw UsageError(journal_state.error().message);
        }
        if (!journal_state->warning.empty()) {
            m_env.err << "wxbatch: warning: " << journal_state->warning << "\n";
        }
        for (const auto& [row, status] : journal_state->outcomes) {
            if (row >= m_checkpoint.next_row) {
                m_journaled.emplace(row, status);
            }
        }
        for (std::uint64_t row : journal_state->in_flight) {
            if (row >= m_checkpoint.next_row) {
                m_in_flight_at_crash.insert(row);
            }
        }
        ++m_checkpoint.resumes;
    }
    m_counters_at_start = m_checkpoint.counters;

    auto journal = state::Journal::open(m_options.out_dir, m_checkpoint.run_id, *m_env.fs);
    if (!journal) {
        throw UsageError(journal.error().message);
    }
    m_journal.emplace(std::move(*journal));
    const std::string errors_path = (fs::path(m_options.out_dir) / "row_errors.csv").string();
    auto writer = report::RowErrorsWriter::open(errors_path, m_checkpoint.input.header,
                                                m_options.resume, *m_env.fs);
    if (!writer) {
        throw UsageError(writer.error().message);
    }
    m_row_errors.emplace(std::move(*writer));
    m_checkpoint.settings = to_json(m_options);
    m_recorder = std::make_unique<RunRecorder>(*m_journal, *m_row_errors, m_checkpoint,
                                               m_options.out_dir, !m_action->verifiable(),
                                               *m_env.fs);
}

void JobSession::check_token() {
    webex::TokenSource source{m_options.token_file, m_options.token_command};
    auto token = webex::load_token(source);
    if (!token) {
        throw UsageError(token.error());
    }
    m_token = std::move(*token);
    webex::WebexClientConfig config;
    config.base_url = m_options.base_url;
    config.run_id = m_checkpoint.run_id;
    config.request_timeout = std::chrono::milliseconds(
        static_cast<std::int64_t>(m_options.resilience.request_timeout_s * 1000));
    m_client = std::make_unique<webex::WebexClient>(config, m_token);
    auto transport = m_env.make_transport();
    auto me = m_client->get_me(*transport);
    if (!me) {
        throw UsageError("token check failed: " + me.error());
    }
}

}  // namespace wxbatch::engine
