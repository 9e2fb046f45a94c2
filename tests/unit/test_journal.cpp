#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "wxbatch/state/journal.hpp"
#include "wxbatch/state/journal_format.hpp"

namespace wxbatch::state {
namespace {

namespace fs = std::filesystem;

const std::string k_run = "20261124T203459Z-3f9a1c";

class JournalTest : public ::testing::Test {
  protected:
    std::string file() const { return m_dir + "/journal.wxj"; }
    std::string read_all() const {
        std::ifstream in(file(), std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }
    void write_all(const std::string& bytes) const {
        std::ofstream(file(), std::ios::binary | std::ios::trunc) << bytes;
    }
    Journal open_ok(FileSystem& fs = real_fs()) const {
        auto j = Journal::open(m_dir, k_run, fs);
        EXPECT_TRUE(j) << j.error().message;
        return std::move(j).value();
    }
    test::TempDir m_tmp{"wxbatch-journal"};
    const std::string m_dir = m_tmp.path();
};

TEST_F(JournalTest, FreshJournalHoldsOnlyTheHeader) {
    Journal j = open_ok();
    EXPECT_EQ(read_all(), encode_header(k_run));
    EXPECT_EQ(j.size_bytes(), encode_header(k_run).size());
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_TRUE(state->outcomes.empty());
    EXPECT_TRUE(state->in_flight.empty());
    EXPECT_FALSE(state->truncated_tail);
}

TEST_F(JournalTest, AbsentJournalIsEmpty) {
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->valid_bytes, 0U);
    EXPECT_TRUE(state->outcomes.empty());
}

TEST(JournalOutcome, PacksStatusAndDetail) {
    static_assert(pack_outcome(2, 1) == 0x12);
    EXPECT_EQ(outcome_status(pack_outcome(3, 15)), 3U);
    EXPECT_EQ(outcome_detail(pack_outcome(3, 15)), 15U);
    EXPECT_EQ(pack_outcome(0, 0), 0);
}

TEST_F(JournalTest, ExactRecordBytes) {
    const std::string begin = encode_begin(0x0102);
    ASSERT_EQ(begin.size(), 17U);
    EXPECT_EQ(begin.substr(0, 4), std::string("\x09\x00\x00\x00", 4));
    EXPECT_EQ(begin.substr(8), std::string("\x02\x02\x01\x00\x00\x00\x00\x00\x00", 9));
    const std::string rec = encode_outcome(258, 3);
    ASSERT_EQ(rec.size(), 18U);
    EXPECT_EQ(rec.substr(0, 4), std::string("\x0a\x00\x00\x00", 4));
    EXPECT_EQ(rec.substr(8), std::string("\x03\x02\x01\x00\x00\x00\x00\x00\x00\x03", 10));
}

TEST_F(JournalTest, ReopenRecoversOutcomesAndRowsInFlight) {
    {
        Journal j = open_ok();
        ASSERT_TRUE(j.append_begin(1));
        ASSERT_TRUE(j.append_outcome(1, 0));
        ASSERT_TRUE(j.append_begin(2));
        ASSERT_TRUE(j.append_outcome(3, 2));  // a row that needed no mutation
        ASSERT_TRUE(j.append_begin(4));
        ASSERT_TRUE(j.append_outcome(4, 3));
        ASSERT_TRUE(j.append_begin(4));  // re-executed on a resume: in flight again
        ASSERT_TRUE(j.sync());
    }
    Journal again = open_ok();
    const JournalState& s = again.recovered();
    EXPECT_EQ(s.outcomes, (std::unordered_map<std::uint64_t, std::uint8_t>{{1, 0}, {3, 2}}));
    EXPECT_EQ(s.in_flight, (std::set<std::uint64_t>{2, 4}));
    EXPECT_FALSE(s.truncated_tail);
    ASSERT_TRUE(again.append_outcome(2, 1));
    auto loaded = load_journal(m_dir, k_run);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->outcomes.at(2), 1);
    EXPECT_EQ(loaded->in_flight, (std::set<std::uint64_t>{4}));
}

TEST_F(JournalTest, AnotherRunsJournalIsRefused) {
    { open_ok(); }
    auto other = Journal::open(m_dir, "20261124T999999Z-000000");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().kind, ErrorKind::Corrupt);
    EXPECT_EQ(other.error().message,
              file() + " belongs to run '" + k_run + "', not to run '20261124T999999Z-000000'");
}

// The records of a reference journal and, for each, the offset where it ends.
struct Reference {
    std::string bytes;
    std::vector<std::size_t> ends;                   // after the header, after each record
    std::vector<std::pair<std::uint64_t, int>> ops;  // row, status (-1 = Begin)
};

Reference reference_journal(int rows) {
    Reference r;
    r.bytes = encode_header(k_run);
    r.ends.push_back(r.bytes.size());
    for (int row = 1; row <= rows; ++row) {
        r.bytes += encode_begin(static_cast<std::uint64_t>(row));
        r.ends.push_back(r.bytes.size());
        r.ops.emplace_back(row, -1);
        if (row % 3 != 0) {  // every third row stays in flight
            r.bytes += encode_outcome(static_cast<std::uint64_t>(row), row % 4);
            r.ends.push_back(r.bytes.size());
            r.ops.emplace_back(row, row % 4);
        }
    }
    return r;
}

JournalState replay(const Reference& r, std::size_t records) {
    JournalState s;
    for (std::size_t i = 0; i < records; ++i) {
        const auto [row, status] = r.ops[i];
        if (status < 0) {
            s.in_flight.insert(row);
        } else {
            s.in_flight.erase(row);
            s.outcomes[row] = static_cast<std::uint8_t>(status);
        }
    }
    return s;
}

TEST_F(JournalTest, TruncationAtEveryByteOffsetKeepsTheRightPrefix) {
    const Reference r = reference_journal(12);
    for (std::size_t cut = 0; cut <= r.bytes.size(); ++cut) {
        auto state = parse_journal(std::string_view(r.bytes).substr(0, cut), file(), k_run);
        ASSERT_TRUE(state) << "cut " << cut << ": " << state.error().message;
        // Whole records before the cut survive; a partial one is dropped with a warning.
        std::size_t whole = 0;
        while (whole < r.ends.size() && r.ends[whole] <= cut) {
            ++whole;
        }
        const std::size_t valid = whole == 0 ? 0 : r.ends[whole - 1];
        EXPECT_EQ(state->valid_bytes, valid) << "cut " << cut;
        EXPECT_EQ(state->truncated_tail, cut != valid) << "cut " << cut;
        EXPECT_EQ(state->warning.empty(), cut == valid) << "cut " << cut;
        const JournalState expected = replay(r, whole == 0 ? 0 : whole - 1);
        EXPECT_EQ(state->outcomes, expected.outcomes) << "cut " << cut;
        EXPECT_EQ(state->in_flight, expected.in_flight) << "cut " << cut;
    }
}

TEST_F(JournalTest, OpenAfterTornTailCutsItAndAppendsCleanly) {
    // On disk, at every offset of the first records and the last ones (the middle is the same).
    const Reference r = reference_journal(6);
    for (std::size_t cut = 0; cut <= r.bytes.size(); ++cut) {
        if (cut > r.ends[2] && cut + 40 < r.bytes.size()) {
            continue;
        }
        write_all(r.bytes.substr(0, cut));
        {
            Journal j = open_ok();
            ASSERT_TRUE(j.append_outcome(1000, 1)) << "cut " << cut;
        }
        auto state = load_journal(m_dir, k_run);
        ASSERT_TRUE(state) << "cut " << cut << ": " << state.error().message;
        EXPECT_FALSE(state->truncated_tail) << "cut " << cut;
        EXPECT_EQ(state->outcomes.at(1000), 1) << "cut " << cut;
    }
}

TEST_F(JournalTest, DamageBeforeTheEndIsCorrupt) {
    const Reference r = reference_journal(100);
    // Any flipped byte in the first half breaks a CRC (or a length) with whole records after it.
    for (std::size_t at = 0; at < r.bytes.size() / 2; ++at) {
        std::string damaged = r.bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
        auto state = parse_journal(damaged, file(), k_run);
        ASSERT_FALSE(state) << "flip at " << at;
        EXPECT_EQ(state.error().kind, ErrorKind::Corrupt);
        EXPECT_EQ(state.error().message.rfind(file() + " is corrupt at byte ", 0), 0U)
            << state.error().message;
    }
    std::string damaged = r.bytes;
    damaged[r.ends[3] + 9] ^= 1;  // the row of the fourth record
    write_all(damaged);
    EXPECT_EQ(load_journal(m_dir, k_run).error().message,
              file() + " is corrupt at byte " + std::to_string(r.ends[3]) + ": CRC mismatch");
}

TEST_F(JournalTest, ZeroFillAfterTheLastRecordIsATornTail) {
    const Reference r = reference_journal(3);
    write_all(r.bytes + std::string(4096, '\0'));
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_TRUE(state->truncated_tail);
    EXPECT_EQ(state->valid_bytes, r.bytes.size());
    EXPECT_EQ(state->warning, file() + ": dropped a torn last record (4096 bytes at offset " +
                                  std::to_string(r.bytes.size()) +
                                  "), left by an interrupted write");
}

TEST_F(JournalTest, CompactKeepsOnlyRowsPastTheWatermark) {
    Journal j = open_ok();
    for (std::uint64_t row = 1; row <= 100; ++row) {
        ASSERT_TRUE(j.append_begin(row));
        ASSERT_TRUE(j.append_outcome(row, 0));
    }
    ASSERT_TRUE(j.append_begin(101));
    EXPECT_EQ(j.live_rows(), 101U);
    ASSERT_TRUE(j.compact(91));
    EXPECT_EQ(j.live_rows(), 11U);
    EXPECT_EQ(j.size_bytes(), encode_header(k_run).size() + 10 * 18 + 17);
    ASSERT_TRUE(j.append_outcome(101, 1));
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->outcomes.size(), 11U);
    EXPECT_EQ(state->outcomes.count(90), 0U);
    EXPECT_EQ(state->outcomes.at(101), 1);
    EXPECT_TRUE(state->in_flight.empty());
    ASSERT_TRUE(j.reset());
    EXPECT_EQ(j.live_rows(), 0U);
    EXPECT_EQ(read_all(), encode_header(k_run));
}

TEST_F(JournalTest, FailedAppendIsCutOffAndTheJournalStaysUsable) {
    FaultInjectingFileSystem faulty;
    Journal j = open_ok(faulty);
    ASSERT_TRUE(j.append_outcome(1, 0));
    faulty.set_partial_writes(true);
    faulty.fail(FsOp::Write, 1, ENOSPC);
    auto failed = j.append_outcome(2, 0);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, ErrorKind::Io);
    EXPECT_EQ(failed.error().message, "cannot append to " + file() + ": No space left on device");
    ASSERT_TRUE(j.append_outcome(3, 0));
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_FALSE(state->truncated_tail);
    EXPECT_EQ(state->outcomes, (std::unordered_map<std::uint64_t, std::uint8_t>{{1, 0}, {3, 0}}));
}

TEST_F(JournalTest, WhenTheCutFailsTooTheJournalRefusesFurtherRecords) {
    FaultInjectingFileSystem faulty;
    Journal j = open_ok(faulty);
    faulty.set_partial_writes(true);
    faulty.fail(FsOp::Write, 1, EIO);
    faulty.fail(FsOp::Truncate, 1, EIO);
    ASSERT_FALSE(j.append_begin(1));
    auto later = j.append_begin(2);
    ASSERT_FALSE(later);
    EXPECT_NE(later.error().message.find("unusable"), std::string::npos);
    EXPECT_FALSE(j.sync());
}

TEST_F(JournalTest, FailedSyncStopsTheJournal) {
    FaultInjectingFileSystem faulty;
    Journal j = open_ok(faulty);
    ASSERT_TRUE(j.append_outcome(1, 0));
    faulty.fail(FsOp::Fsync, 1, EIO);
    auto synced = j.sync();
    ASSERT_FALSE(synced);
    EXPECT_EQ(synced.error().message, "cannot fsync " + file() + ": Input/output error");
    EXPECT_FALSE(j.append_outcome(2, 0));
}

TEST_F(JournalTest, FailedCompactionLeavesTheOldJournal) {
    FaultInjectingFileSystem faulty;
    Journal j = open_ok(faulty);
    ASSERT_TRUE(j.append_outcome(1, 0));
    ASSERT_TRUE(j.append_outcome(2, 0));
    faulty.fail(FsOp::Write, 1, ENOSPC);
    ASSERT_FALSE(j.compact(2));
    ASSERT_TRUE(j.append_outcome(3, 0));
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->outcomes.size(), 3U);
}

TEST_F(JournalTest, CompactionWhoseDirectoryFsyncFailsStillAppendsToTheNewFile) {
    FaultInjectingFileSystem faulty;
    Journal j = open_ok(faulty);
    ASSERT_TRUE(j.append_outcome(1, 0));
    ASSERT_TRUE(j.append_outcome(2, 0));
    faulty.fail(FsOp::FsyncDir, 1, EIO);
    auto compacted = j.compact(2);
    ASSERT_FALSE(compacted);
    EXPECT_NE(compacted.error().message.find("not durable"), std::string::npos);
    EXPECT_EQ(j.live_rows(), 1U);
    ASSERT_TRUE(j.append_outcome(3, 0));
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->outcomes, (std::unordered_map<std::uint64_t, std::uint8_t>{{2, 0}, {3, 0}}));
}

TEST_F(JournalTest, ConcurrentAppendsAreWholeRecords) {
    Journal j = open_ok();
    constexpr int k_threads = 4;
    constexpr int k_per_thread = 500;
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < k_threads; ++t) {
            workers.emplace_back([&j, t] {
                for (int i = 0; i < k_per_thread; ++i) {
                    const auto row = static_cast<std::uint64_t>(t * k_per_thread + i + 1);
                    ASSERT_TRUE(j.append_begin(row));
                    ASSERT_TRUE(j.append_outcome(row, 0));
                    if (i % 100 == 0) {
                        ASSERT_TRUE(j.sync());
                    }
                }
            });
        }
    }
    auto state = load_journal(m_dir, k_run);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->outcomes.size(), static_cast<std::size_t>(k_threads * k_per_thread));
    EXPECT_TRUE(state->in_flight.empty());
    EXPECT_FALSE(state->truncated_tail);
}

// kill -9 at an arbitrary instant: every outcome the child reported as appended must be found.
TEST_F(JournalTest, KillNineLosesNoAppendedOutcome) {
    for (const int wait_for : {1, 50, 400}) {
        fs::remove(file());
        int pipe_fds[2];
        ASSERT_EQ(::pipe(pipe_fds), 0);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(pipe_fds[0]);
            auto j = Journal::open(m_dir, k_run);
            for (std::uint64_t row = 1; j; ++row) {
                if (!j->append_begin(row) || !j->append_outcome(row, 1)) {
                    ::_exit(3);
                }
                if (::write(pipe_fds[1], &row, sizeof row) != sizeof row) {
                    ::_exit(4);
                }
            }
            ::_exit(2);
        }
        ::close(pipe_fds[1]);
        std::uint64_t row = 0;
        std::uint64_t confirmed = 0;
        for (int seen = 0; seen < wait_for; ++seen) {
            ASSERT_EQ(::read(pipe_fds[0], &row, sizeof row), static_cast<ssize_t>(sizeof row));
            confirmed = row;
        }
        ASSERT_EQ(::kill(child, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended on its own: " << status;
        while (::read(pipe_fds[0], &row, sizeof row) == static_cast<ssize_t>(sizeof row)) {
            confirmed = row;
        }
        ::close(pipe_fds[0]);
        auto state = load_journal(m_dir, k_run);
        ASSERT_TRUE(state) << state.error().message;
        for (std::uint64_t r = 1; r <= confirmed; ++r) {
            ASSERT_EQ(state->outcomes.count(r), 1U) << "row " << r << " of " << confirmed;
        }
        EXPECT_LE(state->in_flight.size(), 1U);
    }
}

}  // namespace
}  // namespace wxbatch::state
