#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "wxbatch/engine/run_recorder.hpp"

namespace wxbatch::engine {
namespace {

const std::string k_run = "20261125T031500Z-7c2e4d";

// A real out directory with a journal, row_errors.csv and a recorder over them, batches of
// `rows_per_batch` rows; `compact_bytes` is the recorder's compaction threshold.
class RunRecorderTest : public ::testing::Test {
  protected:
    void open(std::uint64_t compact_bytes) {
        auto journal = state::Journal::open(m_dir, k_run, real_fs());
        ASSERT_TRUE(journal) << journal.error().message;
        m_journal.emplace(std::move(journal).value());
        auto errors = report::RowErrorsWriter::open(m_dir + "/row_errors.csv", {"email"}, false);
        ASSERT_TRUE(errors) << errors.error().message;
        m_errors.emplace(std::move(errors).value());
        state::Checkpoint checkpoint;
        checkpoint.run_id = k_run;
        checkpoint.action = "people.create";
        checkpoint.batch_size = k_rows_per_batch;
        m_recorder.emplace(*m_journal, *m_errors, checkpoint, m_dir, false, real_fs(),
                           compact_bytes);
    }

    // Opens batch `index` and records each of its rows as a success.
    void run_batch(std::int64_t index) {
        const std::uint64_t first = static_cast<std::uint64_t>(index) * k_rows_per_batch + 1;
        const std::uint64_t next = first + k_rows_per_batch;
        m_recorder->open_batch(index, k_rows_per_batch, InputPosition{next * 10, next, next + 1});
        for (std::uint64_t row = first; row < next; ++row) {
            ASSERT_TRUE(m_recorder->begin_row(row));
            csv::RowRecord record;
            record.row_number = row;
            record.line_number = row + 1;
            record.fields = {"user" + std::to_string(row) + "@example.com"};
            ASSERT_TRUE(m_recorder->record(index, record, actions::RowOutcome{}, 1));
        }
    }

    static constexpr std::uint64_t k_rows_per_batch = 10;
    test::TempDir m_tmp{"wxbatch-recorder"};
    const std::string& m_dir = m_tmp.path();
    std::optional<state::Journal> m_journal;
    std::optional<report::RowErrorsWriter> m_errors;
    std::optional<RunRecorder> m_recorder;
};

// Below the threshold, a confirmed batch moves the checkpoint but leaves the journal as it is
// (no rewrite, two fsyncs fewer per batch); its rows below the watermark are ignored on resume.
TEST_F(RunRecorderTest, TheJournalIsNotRewrittenAtEveryCheckpoint) {
    open(RunRecorder::k_journal_compact_bytes);
    for (std::int64_t b = 0; b < 5; ++b) {
        run_batch(b);
    }
    EXPECT_EQ(m_recorder->checkpoint().next_row, 51U);
    EXPECT_EQ(m_journal->live_rows(), 50U);
    const auto on_disk = state::load_journal(m_dir, k_run);
    ASSERT_TRUE(on_disk) << on_disk.error().message;
    EXPECT_EQ(on_disk->outcomes.size(), 50U);
    EXPECT_TRUE(on_disk->in_flight.empty());
}

// Past the threshold, the next checkpoint compacts: the journal keeps only the rows past the
// watermark, so its size (and what it holds in memory) stays bounded however long the input.
TEST_F(RunRecorderTest, TheJournalIsCompactedOnceItPassesTheThreshold) {
    open(400);  // about 11 rows of records (a begin and an outcome each)
    std::uint64_t largest = 0;
    for (std::int64_t b = 0; b < 50; ++b) {
        run_batch(b);
        largest = std::max(largest, m_journal->size_bytes());
        EXPECT_LT(m_journal->live_rows(), 30U) << "after batch " << b;
    }
    EXPECT_LT(largest, 800U);
    EXPECT_EQ(m_recorder->checkpoint().next_row, 501U);
    EXPECT_EQ(m_recorder->checkpoint().counters.success, 500U);
    const auto on_disk = state::load_journal(m_dir, k_run);
    ASSERT_TRUE(on_disk) << on_disk.error().message;
    EXPECT_LT(on_disk->outcomes.size(), 30U);
}

}  // namespace
}  // namespace wxbatch::engine
