#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <mutex>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "wxbatch/engine/run_recorder.hpp"

namespace wxbatch::engine {
namespace {

const std::string k_run = "20261125T031500Z-7c2e4d";

// The real file system, except that once armed every fsync waits until released: a save stuck
// on a slow disk, for as long as the test wants.
class GatedFsyncFileSystem final : public FileSystem {
  public:
    void arm() {
        std::lock_guard lock(m_mutex);
        m_armed = true;
    }
    void release() {
        std::lock_guard lock(m_mutex);
        m_armed = false;
        m_cv.notify_all();
    }
    // True once an fsync is waiting at the gate (false after 10 s).
    bool wait_until_held() {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, std::chrono::seconds(10), [this] { return m_held > 0; });
    }

    int open(const std::string& path, int flags, int mode, int& fd) override {
        return real_fs().open(path, flags, mode, fd);
    }
    int write(int fd, std::string_view data) override { return real_fs().write(fd, data); }
    int fsync(int fd) override {
        {
            std::unique_lock lock(m_mutex);
            ++m_held;
            m_cv.notify_all();
            m_cv.wait(lock, [this] { return !m_armed; });
            --m_held;
        }
        return real_fs().fsync(fd);
    }
    int close(int fd) override { return real_fs().close(fd); }
    int truncate(int fd, std::uint64_t size) override { return real_fs().truncate(fd, size); }
    int rename(const std::string& from, const std::string& to) override {
        return real_fs().rename(from, to);
    }
    int unlink(const std::string& path) override { return real_fs().unlink(path); }
    int fsync_dir(const std::string& dir) override { return real_fs().fsync_dir(dir); }

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_armed = false;
    int m_held = 0;
};

// A real out directory with a journal, row_errors.csv and a recorder over them, batches of
// `rows_per_batch` rows; `compact_bytes` is the recorder's compaction threshold.
class RunRecorderTest : public ::testing::Test {
  protected:
    void open(std::uint64_t compact_bytes, FileSystem& fs = real_fs()) {
        auto journal = state::Journal::open(m_dir, k_run, fs);
        ASSERT_TRUE(journal) << journal.error().message;
        m_journal.emplace(std::move(journal).value());
        auto errors = report::RowErrorsWriter::open(m_dir + "/row_errors.csv", {"email"}, false);
        ASSERT_TRUE(errors) << errors.error().message;
        m_errors.emplace(std::move(errors).value());
        state::Checkpoint checkpoint;
        checkpoint.run_id = k_run;
        checkpoint.action = "people.create";
        checkpoint.batch_size = k_rows_per_batch;
        m_recorder.emplace(*m_journal, *m_errors, checkpoint, m_dir, false, fs, compact_bytes);
    }

    // Records rows [first, last] of batch `index` as successes.
    void record_rows(std::int64_t index, std::uint64_t first, std::uint64_t last) {
        for (std::uint64_t row = first; row <= last; ++row) {
            ASSERT_TRUE(m_recorder->begin_row(row));
            csv::RowRecord record;
            record.row_number = row;
            record.line_number = row + 1;
            record.fields = {"user" + std::to_string(row) + "@example.com"};
            ASSERT_TRUE(m_recorder->record(index, record, actions::RowOutcome{}, 1));
        }
    }

    void open_batch(std::int64_t index) {
        const std::uint64_t next = static_cast<std::uint64_t>(index + 1) * k_rows_per_batch + 1;
        m_recorder->open_batch(index, k_rows_per_batch, InputPosition{next * 10, next, next + 1});
    }

    std::optional<state::Checkpoint> on_disk() const {
        auto loaded = state::load_checkpoint(m_dir);
        EXPECT_TRUE(loaded) << loaded.error().message;
        return loaded ? *loaded : std::nullopt;
    }

    // Opens batch `index` and records each of its rows as a success.
    void run_batch(std::int64_t index) {
        open_batch(index);
        const std::uint64_t first = static_cast<std::uint64_t>(index) * k_rows_per_batch + 1;
        record_rows(index, first, first + k_rows_per_batch - 1);
    }

    static constexpr std::uint64_t k_rows_per_batch = 10;
    test::TempDir m_tmp{"wxbatch-recorder"};
    GatedFsyncFileSystem m_gated;  // outlives the journal and writer that use it
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

// The lane that moves the watermark waits for the disk (the journal's fsync, the checkpoint's
// write); the other lanes go on journaling and recording rows meanwhile.
TEST_F(RunRecorderTest, RowsAreRecordedWhileACheckpointIsBeingSaved) {
    GatedFsyncFileSystem& fs = m_gated;
    open(RunRecorder::k_journal_compact_bytes, fs);
    open_batch(0);
    open_batch(1);
    record_rows(0, 1, 9);
    fs.arm();
    auto saving = std::async(std::launch::async, [this] { record_rows(0, 10, 10); });
    ASSERT_TRUE(fs.wait_until_held()) << "the last row of batch 0 did not start a save";
    auto recording = std::async(std::launch::async, [this] { record_rows(1, 11, 15); });
    const bool recorded_meanwhile =
        recording.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    fs.release();
    saving.get();
    recording.get();
    EXPECT_TRUE(recorded_meanwhile) << "recording rows waited for the save's fsync";
    const auto checkpoint = on_disk();
    ASSERT_TRUE(checkpoint);
    EXPECT_EQ(checkpoint->last_confirmed_batch, 0);
    EXPECT_EQ(checkpoint->next_row, 11U);
    EXPECT_EQ(checkpoint->counters.success, 10U);
    EXPECT_EQ(m_recorder->live_counts().processed, 15U);
}

// Two lanes confirm batches while the disk is slow: the saves are serialised and the file ends
// with the newer watermark, never an older one written last.
TEST_F(RunRecorderTest, ConcurrentSavesEndWithTheNewestWatermark) {
    GatedFsyncFileSystem& fs = m_gated;
    open(RunRecorder::k_journal_compact_bytes, fs);
    open_batch(0);
    open_batch(1);
    record_rows(0, 1, 9);
    record_rows(1, 11, 19);
    fs.arm();
    auto first = std::async(std::launch::async, [this] { record_rows(0, 10, 10); });
    ASSERT_TRUE(fs.wait_until_held());
    auto second = std::async(std::launch::async, [this] { record_rows(1, 20, 20); });
    fs.release();
    first.get();
    second.get();
    const auto checkpoint = on_disk();
    ASSERT_TRUE(checkpoint);
    EXPECT_EQ(checkpoint->last_confirmed_batch, 1);
    EXPECT_EQ(checkpoint->next_row, 21U);
    EXPECT_EQ(checkpoint->counters.success, 20U);
    const auto journal = state::load_journal(m_dir, k_run);
    ASSERT_TRUE(journal) << journal.error().message;
    EXPECT_EQ(journal->outcomes.size(), 20U);
}

}  // namespace
}  // namespace wxbatch::engine
