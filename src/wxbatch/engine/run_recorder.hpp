#pragma once
// The single place where row outcomes become durable: row_errors.csv, the row journal, the
// batch watermark and checkpoint.json. Thread-safe; workers call it after each row.
// Order per row: the row_errors.csv line (if any) is flushed, then the journal outcome is appended,
// then the row counts toward its batch; when the watermark moves, the journal is synced and the
// checkpoint is rewritten atomically. A write failure (ENOSPC, EIO) is returned, and the previous
// checkpoint stays valid.
// Only the counting takes the recorder's lock: the records are written through the journal's
// and row_errors.csv's own locks, and the syncs and checkpoint write run outside it, so only the
// lane that moved the watermark waits for the disk; the others go on recording rows. Saves are
// serialised and never go backwards: a save takes the newest watermark (under the lock), then
// syncs the outcomes it covers, then writes it; a save that finds a newer one already written
// has nothing to do.

#include <cstdint>
#include <mutex>
#include <string>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/csv/row_record.hpp"
#include "wxbatch/engine/batch_tracker.hpp"
#include "wxbatch/report/row_errors_writer.hpp"
#include "wxbatch/state/checkpoint.hpp"
#include "wxbatch/state/journal.hpp"
#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"

namespace wxbatch::engine {

class RunRecorder {
public:
    // `checkpoint` is the run's checkpoint as loaded or created; its counters cover the rows up
    // to its watermark. `sync_each_row` makes every journal record durable before returning
    // (for actions whose mutations cannot be verified afterwards).
    // The journal is compacted (rows below the watermark dropped) at a checkpoint once it has
    // passed `journal_compact_bytes`.
    static constexpr std::uint64_t k_journal_compact_bytes = 1U << 20;

    RunRecorder(state::Journal& journal, report::RowErrorsWriter& row_errors,
                state::Checkpoint checkpoint, std::string out_dir, bool sync_each_row,
                FileSystem& fs, std::uint64_t journal_compact_bytes = k_journal_compact_bytes);

    void open_batch(std::int64_t index, std::uint64_t rows, InputPosition next);
    // Journals that a mutation is about to be sent for `row`.
    Expected<void, Error> begin_row(std::uint64_t row);
    // Records the final outcome of a row (never NotDone).
    Expected<void, Error> record(std::int64_t batch, const csv::RowRecord& row,
                                 const actions::RowOutcome& outcome, int attempts);
    // A row whose outcome a previous run journaled: counted, not executed again.
    Expected<void, Error> replay(std::int64_t batch, actions::RowStatus status);
    // Counts one more row read from the input.
    void count_read();

    // Rewrites checkpoint.json with the current watermark and the given state.
    Expected<void, Error> save(const std::string& state, const std::string& reason);

    // Totals over confirmed and open batches (for progress and the error-rate policy).
    RowCounts live_counts() const;
    std::uint64_t rows_read() const;
    state::Checkpoint checkpoint() const;

private:
    // Counts a row toward its batch (m_mutex held). Sets `moved` when batches were confirmed:
    // the caller then calls persist() once it has released m_mutex.
    void account(std::int64_t batch, RowResult result, bool& moved);
    // Makes the newest checkpoint durable (see the class comment). Takes m_save_mutex, then
    // m_mutex briefly; never called with m_mutex held.
    Expected<void, Error> persist();
    Expected<void, Error> persist_locked();  // m_save_mutex held

    std::mutex m_save_mutex;  // taken before m_mutex, never after
    std::uint64_t m_saved_version = 0;  // the version last written (m_save_mutex)
    mutable std::mutex m_mutex;
    std::uint64_t m_version = 0;  // bumped at every change to m_checkpoint (m_mutex)
    state::Journal& m_journal;
    report::RowErrorsWriter& m_row_errors;
    state::Checkpoint m_checkpoint;
    std::string m_out_dir;
    std::uint64_t m_journal_compact_bytes;
    bool m_sync_each_row;
    FileSystem& m_fs;
    BatchTracker m_tracker;
    RowCounts m_open_counts;  // rows recorded in batches not yet confirmed
    std::uint64_t m_read_this_session = 0;
};

}  // namespace wxbatch::engine
