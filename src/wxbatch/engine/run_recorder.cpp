#include "wxbatch/engine/run_recorder.hpp"

#include "wxbatch/util/iso_time.hpp"

namespace wxbatch::engine {

namespace {

RowResult to_result(actions::RowStatus status) {
    switch (status) {
        case actions::RowStatus::Success:
            return RowResult::Success;
        case actions::RowStatus::AlreadyDone:
            return RowResult::AlreadyDone;
        case actions::RowStatus::RowError:
        case actions::RowStatus::NotDone:
            break;
    }
    return RowResult::RowError;
}

}  // namespace

RunRecorder::RunRecorder(state::Journal& journal, report::RowErrorsWriter& row_errors,
                         state::Checkpoint checkpoint, std::string out_dir, bool sync_each_row,
                         FileSystem& fs, std::uint64_t journal_compact_bytes)
    : m_journal(journal),
      m_row_errors(row_errors),
      m_checkpoint(std::move(checkpoint)),
      m_out_dir(std::move(out_dir)),
      m_journal_compact_bytes(journal_compact_bytes),
      m_sync_each_row(sync_each_row),
      m_fs(fs),
      m_tracker(m_checkpoint.last_confirmed_batch) {}

void RunRecorder::open_batch(std::int64_t index, std::uint64_t rows, InputPosition next) {
    std::lock_guard lock(m_mutex);
    m_tracker.open(index, rows, next);
}

void RunRecorder::count_read() {
    std::lock_guard lock(m_mutex);
    ++m_read_this_session;
}

// The journal and row_errors.csv are thread-safe on their own: a row's records are written
// without m_mutex, which only guards the counting (a row is counted after its records are in).
Expected<void, Error> RunRecorder::begin_row(std::uint64_t row) {
    if (auto r = m_journal.append_begin(row); !r) {
        return r;
    }
    if (m_sync_each_row) {
        return m_journal.sync();
    }
    return {};
}

Expected<void, Error> RunRecorder::record(std::int64_t batch, const csv::RowRecord& row,
                                          const actions::RowOutcome& outcome, int attempts) {
    if (outcome.status == actions::RowStatus::RowError) {
        report::RowErrorRecord rec;
        rec.row_number = row.row_number;
        rec.line_number = row.line_number;
        rec.fields = row.fields;
        rec.error_class = webex::to_string(outcome.error_class);
        rec.http_status = outcome.http_status;
        rec.message = outcome.message;
        rec.tracking_id = outcome.tracking_id;
        rec.attempts = attempts;
        if (auto r = m_row_errors.write(rec); !r) {
            return r;
        }
        if (auto r = m_row_errors.flush(); !r) {
            return r;
        }
    }
    const auto packed = state::pack_outcome(static_cast<unsigned>(outcome.status),
                                            static_cast<unsigned>(outcome.error_class));
    if (auto r = m_journal.append_outcome(row.row_number, packed); !r) {
        return r;
    }
    if (m_sync_each_row) {
        if (auto r = m_journal.sync(); !r) {
            return r;
        }
    }
    bool moved = false;
    {
        std::lock_guard lock(m_mutex);
        account(batch, to_result(outcome.status), moved);
    }
    return moved ? persist() : Expected<void, Error>{};
}

Expected<void, Error> RunRecorder::replay(std::int64_t batch, actions::RowStatus status) {
    bool moved = false;
    {
        std::lock_guard lock(m_mutex);
        account(batch, to_result(status), moved);
    }
    return moved ? persist() : Expected<void, Error>{};
}

void RunRecorder::account(std::int64_t batch, RowResult result, bool& moved) {
    m_tracker.record(batch, result);
    ++m_open_counts.processed;
    if (result == RowResult::Success) {
        ++m_open_counts.success;
    } else if (result == RowResult::AlreadyDone) {
        ++m_open_counts.already_done;
    } else {
        ++m_open_counts.row_errors;
    }
    auto confirmed = m_tracker.take_confirmed();
    if (confirmed.empty()) {
        return;
    }
    auto& c = m_checkpoint.counters;
    for (const ConfirmedBatch& b : confirmed) {
        c.processed += b.counts.processed;
        c.success += b.counts.success;
        c.already_done += b.counts.already_done;
        c.row_errors += b.counts.row_errors;
        m_open_counts.processed -= b.counts.processed;
        m_open_counts.success -= b.counts.success;
        m_open_counts.already_done -= b.counts.already_done;
        m_open_counts.row_errors -= b.counts.row_errors;
        m_checkpoint.last_confirmed_batch = b.index;
        m_checkpoint.next_offset = b.next.offset;
        m_checkpoint.next_row = b.next.row;
        m_checkpoint.next_line = b.next.line;
    }
    ++m_version;
    moved = true;
}

Expected<void, Error> RunRecorder::persist() {
    std::lock_guard save_lock(m_save_mutex);
    return persist_locked();
}

Expected<void, Error> RunRecorder::persist_locked() {
    state::Checkpoint snapshot;
    std::uint64_t version = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_version == m_saved_version) {
            return {};  // another lane wrote this watermark, or a newer one, meanwhile
        }
        version = m_version;
        snapshot = m_checkpoint;
    }
    snapshot.counters.read = snapshot.counters.processed;
    snapshot.updated_at = iso8601_utc(std::chrono::system_clock::now());
    // Outcomes must be durable before the watermark that covers them is: every outcome the
    // snapshot counts was appended before it was taken, so these syncs cover them all.
    if (auto r = m_journal.sync(); !r) {
        return r;
    }
    if (auto r = m_row_errors.sync(); !r) {
        return r;
    }
    if (auto r = state::save_checkpoint(m_out_dir, snapshot, m_fs); !r) {
        return r;
    }
    m_saved_version = version;
    // Rows below the watermark are covered by the checkpoint (a resume ignores their records):
    // once the journal passes m_journal_compact_bytes (by default 1 MiB: about 30,000 rows of
    // records, so the file and what it holds in memory stay this small however long the input)
    // it is rewritten with only the rest. Not at every batch: the rewrite costs two fsyncs.
    if (m_journal.size_bytes() < m_journal_compact_bytes) {
        return {};
    }
    return m_journal.compact(snapshot.next_row);
}

Expected<void, Error> RunRecorder::save(const std::string& state, const std::string& reason) {
    std::lock_guard save_lock(m_save_mutex);
    {
        std::lock_guard lock(m_mutex);
        m_checkpoint.state = state;
        m_checkpoint.reason = reason;
        ++m_version;
    }
    return persist_locked();
}

RowCounts RunRecorder::live_counts() const {
    std::lock_guard lock(m_mutex);
    RowCounts total{m_checkpoint.counters.processed, m_checkpoint.counters.success,
                    m_checkpoint.counters.already_done, m_checkpoint.counters.row_errors};
    total += m_open_counts;
    return total;
}

std::uint64_t RunRecorder::rows_read() const {
    std::lock_guard lock(m_mutex);
    return m_read_this_session;
}

state::Checkpoint RunRecorder::checkpoint() const {
    std::lock_guard lock(m_mutex);
    return m_checkpoint;
}

}  // namespace wxbatch::engine
