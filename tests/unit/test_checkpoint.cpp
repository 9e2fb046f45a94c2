#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "wxbatch/state/checkpoint.hpp"
#include "wxbatch/state/out_dir_lock.hpp"
#include "wxbatch/util/durable_file.hpp"

namespace wxbatch::state {
namespace {

namespace fs = std::filesystem;

class CheckpointTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "wxbatch-ckpt-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string file() const { return m_dir + "/checkpoint.json"; }
    void write_raw(const std::string& content) const {
        std::ofstream(file(), std::ios::binary) << content;
    }
    static Checkpoint sample() {
        Checkpoint c;
        c.run_id = "20261124T203459Z-3f9a1c";
        c.input = {"users.csv", 1234, std::string(64, 'a'), {"email", "displayName"}};
        c.action = "people.create";
        c.batch_size = 200;
        c.last_confirmed_batch = 4;
        c.next_row = 1001;
        c.next_offset = 56789;
        c.next_line = 1003;
        c.counters = {1000, 1000, 990, 3, 7, 0, 12};
        c.state = "RUNNING";
        c.started_at = "2026-11-24T20:00:00Z";
        c.updated_at = "2026-11-24T20:05:00Z";
        c.resumes = 1;
        c.settings = {{"batch_size", 200}, {"retry_profile", "normal"}};
        return c;
    }
    std::string m_dir;
};

TEST_F(CheckpointTest, AbsentIsNullopt) {
    auto loaded = load_checkpoint(m_dir);
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(loaded->has_value());
}

TEST_F(CheckpointTest, RoundTripsEveryField) {
    const Checkpoint c = sample();
    ASSERT_TRUE(save_checkpoint(m_dir, c));
    auto loaded = load_checkpoint(m_dir);
    ASSERT_TRUE(loaded) << loaded.error().message;
    ASSERT_TRUE(loaded->has_value());
    EXPECT_EQ(to_json(**loaded), to_json(c));
    const Checkpoint& l = **loaded;
    EXPECT_EQ(l.input.header, (std::vector<std::string>{"email", "displayName"}));
    EXPECT_EQ(l.last_confirmed_batch, 4);
    EXPECT_EQ(l.next_offset, 56789U);
    EXPECT_EQ(l.counters.retries, 12U);
    EXPECT_EQ(l.settings["retry_profile"], "normal");
}

TEST_F(CheckpointTest, DocumentHasTheSpecFieldNames) {
    const auto j = to_json(sample());
    for (const char* key : {"schema_version", "run_id", "input", "action", "batch_size",
                            "last_confirmed_batch", "counters", "state", "updated_at"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["schema_version"], 1);
    EXPECT_EQ(j["input"]["sha256"], std::string(64, 'a'));
}

TEST_F(CheckpointTest, EveryTruncationIsACorruptErrorNeverACrash) {
    ASSERT_TRUE(save_checkpoint(m_dir, sample()));
    std::ifstream in(file(), std::ios::binary);
    std::ostringstream whole;
    whole << in.rdbuf();
    const std::string text = whole.str();
    // Cutting the document anywhere before its closing brace leaves invalid JSON.
    const std::size_t closing = text.rfind('}');
    for (std::size_t cut = 0; cut <= closing; ++cut) {
        auto loaded = parse_checkpoint(text.substr(0, cut), file());
        ASSERT_FALSE(loaded) << "cut at " << cut;
        EXPECT_EQ(loaded.error().kind, ErrorKind::Corrupt) << "cut at " << cut;
        EXPECT_EQ(loaded.error().message.rfind(file() + " is corrupt: ", 0), 0U)
            << loaded.error().message;
    }
}

TEST_F(CheckpointTest, ClearMessagesForDamage) {
    write_raw("");
    EXPECT_EQ(load_checkpoint(m_dir).error().message, file() + " is corrupt: the file is empty");
    write_raw("{\"schema_version\": 1");
    EXPECT_EQ(load_checkpoint(m_dir).error().message,
              file() + " is corrupt: not valid JSON (truncated or damaged, 20 bytes)");
    write_raw("[1,2]");
    EXPECT_EQ(load_checkpoint(m_dir).error().message,
              file() + " is corrupt: the document is not a JSON object");
    auto j = to_json(sample());
    j.erase("next_offset");
    write_raw(j.dump());
    EXPECT_EQ(load_checkpoint(m_dir).error().message,
              file() + " is corrupt: missing field 'next_offset'");
    j = to_json(sample());
    j["input"]["size"] = "big";
    write_raw(j.dump());
    EXPECT_EQ(load_checkpoint(m_dir).error().message,
              file() +
                  " is corrupt: field 'input.size' must be a non-negative integer, not "
                  "\"big\"");
    j = to_json(sample());
    j["counters"]["success"] = -1;
    write_raw(j.dump());
    EXPECT_EQ(load_checkpoint(m_dir).error().message,
              file() +
                  " is corrupt: field 'counters.success' must be a non-negative integer, "
                  "not -1");
}

TEST_F(CheckpointTest, UnknownSchemaVersionIsRefused) {
    auto j = to_json(sample());
    j["schema_version"] = 2;
    write_raw(j.dump());
    auto loaded = load_checkpoint(m_dir);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().kind, ErrorKind::Permanent);
    EXPECT_EQ(loaded.error().message,
              file() + ": unsupported schema_version 2 (this wxbatch reads version 1)");
}

TEST_F(CheckpointTest, DiskFullKeepsThePreviousCheckpoint) {
    Checkpoint first = sample();
    ASSERT_TRUE(save_checkpoint(m_dir, first));
    Checkpoint second = sample();
    second.last_confirmed_batch = 5;
    for (const FsOp op : {FsOp::Open, FsOp::Write, FsOp::Fsync, FsOp::Close, FsOp::Rename}) {
        FaultInjectingFileSystem faulty;
        faulty.set_partial_writes(true);
        faulty.fail(op, 1, op == FsOp::Write ? ENOSPC : EIO);
        auto saved = save_checkpoint(m_dir, second, faulty);
        ASSERT_FALSE(saved);
        EXPECT_EQ(saved.error().kind, ErrorKind::Io);
        auto loaded = load_checkpoint(m_dir);
        ASSERT_TRUE(loaded && loaded->has_value());
        EXPECT_EQ((*loaded)->last_confirmed_batch, 4);
    }
    FaultInjectingFileSystem full;
    full.fail(FsOp::Write, 1, ENOSPC);
    EXPECT_NE(save_checkpoint(m_dir, second, full).error().message.find("No space left on device"),
              std::string::npos);
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), {}), 1);
}

TEST_F(CheckpointTest, OutDirLockIsExclusiveAndReleased) {
    {
        auto first = OutDirLock::acquire(m_dir);
        ASSERT_TRUE(first) << first.error().message;
        auto second = OutDirLock::acquire(m_dir);
        ASSERT_FALSE(second);
        EXPECT_EQ(second.error().kind, ErrorKind::Permanent);
        EXPECT_EQ(second.error().message, "another wxbatch process (pid " +
                                              std::to_string(::getpid()) + ") is using " + m_dir);
        OutDirLock moved = std::move(first).value();
        EXPECT_FALSE(OutDirLock::acquire(m_dir));
    }
    EXPECT_TRUE(OutDirLock::acquire(m_dir));
    auto missing = OutDirLock::acquire(m_dir + "/none");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::Io);
}

TEST(RunId, ShortSafeAndUnique) {
    const WallTime t = WallTime{} + std::chrono::seconds(1795552499);
    EXPECT_EQ(make_run_id(t, 0x3f9a1c), "20261124T203459Z-3f9a1c");
    EXPECT_EQ(make_run_id(t, 0xff000001), "20261124T203459Z-000001");
    const std::string a = new_run_id();
    const std::string b = new_run_id();
    EXPECT_NE(a, b);
    EXPECT_EQ(a.size(), 23U);
    EXPECT_EQ(a.find_first_of("_/: "), std::string::npos);
}

}  // namespace
}  // namespace wxbatch::state
