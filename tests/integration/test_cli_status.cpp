// `wxbatch status --out DIR` on each state a run can leave behind: checkpoints written with
// state::save_checkpoint (as the engine writes them), and a lock held as a running wxbatch
// holds it.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/harness.hpp"
#include "wxbatch/actions/action.hpp"
#include "wxbatch/state/checkpoint.hpp"
#include "wxbatch/state/journal.hpp"
#include "wxbatch/state/out_dir_lock.hpp"

namespace wxtest {
namespace {

wxbatch::state::Checkpoint checkpoint_in(const std::string& state, const std::string& reason) {
    wxbatch::state::Checkpoint cp;
    cp.run_id = "20261124T203459Z-3f9a1c";
    cp.input = {"people.csv", 1000, std::string(64, 'a'), {"email", "displayName"}};
    cp.action = "people.create";
    cp.batch_size = 200;
    cp.last_confirmed_batch = 1;
    cp.next_row = 401;
    cp.next_offset = 250;
    cp.next_line = 402;
    cp.counters.processed = 400;
    cp.counters.success = 390;
    cp.counters.already_done = 4;
    cp.counters.row_errors = 6;
    cp.state = state;
    cp.reason = reason;
    cp.started_at = "2026-11-24T20:34:59Z";
    cp.updated_at = "2026-11-24T20:40:00Z";
    cp.resumes = 1;
    return cp;
}

RunOutput status_of(const TempDir& dir, const std::string& state, const std::string& reason) {
    const fs::path out = dir / "out";
    fs::create_directories(out);
    EXPECT_TRUE(
        wxbatch::state::save_checkpoint(out.string(), checkpoint_in(state, reason)).has_value());
    return run_wxbatch(dir, {"status", "--out", out.string()});
}

std::string resume_line(const TempDir& dir) {
    return "resumable: wxbatch run --input people.csv --action people.create --out " +
           (dir / "out").string() + " --resume\n";
}

TEST(CliStatus, NoRunIsExit2) {
    TempDir dir;
    const RunOutput r = run_wxbatch(dir, {"status", "--out", (dir / "empty").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("no run in "), std::string::npos) << r.out;
}

TEST(CliStatus, CompletedRunIsFinished) {
    TempDir dir;
    const RunOutput r = status_of(dir, "COMPLETED", "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "run 20261124T203459Z-3f9a1c: people.create of people.csv (COMPLETED)\n"
              "confirmed: 400 rows (25.0% of the file), 390 succeeded, 4 already done, 6 row "
              "errors\n"
              "next row: 401 (batch 2); resumes so far: 1; last update: 2026-11-24T20:40:00Z\n"
              "finished\n");
}

TEST(CliStatus, CompletedWithRowErrorsPointsAtTheErrorsFile) {
    TempDir dir;
    const RunOutput r = status_of(dir, "COMPLETED_WITH_ROW_ERRORS", "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(COMPLETED_WITH_ROW_ERRORS)\n"), std::string::npos) << r.out;
    EXPECT_NE(
        r.out.find("finished; failed rows are in " + (dir / "out" / "row_errors.csv").string()),
        std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("resumable"), std::string::npos);
}

TEST(CliStatus, FailedSystemicGivesTheReasonAndTheResumeCommand) {
    TempDir dir;
    const RunOutput r = status_of(dir, "FAILED_SYSTEMIC", "circuit breaker open for 600 s");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(FAILED_SYSTEMIC)\nreason: circuit breaker open for 600 s\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find(resume_line(dir)), std::string::npos) << r.out;
}

TEST(CliStatus, AbortedByPolicyIsResumable) {
    TempDir dir;
    const RunOutput r = status_of(dir, "ABORTED_BY_POLICY", "interrupted by SIGINT");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("reason: interrupted by SIGINT\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(resume_line(dir)), std::string::npos) << r.out;
}

TEST(CliStatus, LastSessionFiguresComeFromTheRunSummaryOfTheSameRun) {
    TempDir dir;
    fs::create_directories(dir / "out");
    nlohmann::json summary = {{"run_id", "20261124T203459Z-3f9a1c"},
                              {"state", "FAILED_SYSTEMIC"},
                              {"finished_at", "2026-11-24T20:40:00Z"},
                              {"duration_s", 79.25},
                              {"throughput_rows_per_s", 265.04},
                              {"retries", {{"total", 657}}},
                              {"rate_limit_waits", {{"count", 85}, {"seconds", 85.0}}},
                              {"breaker", {{"opens", 2}}}};
    write_file(dir / "out" / "run_summary.json", summary.dump());
    RunOutput r = status_of(dir, "FAILED_SYSTEMIC", "breaker open too long");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("last session: ended 2026-11-24T20:40:00Z as FAILED_SYSTEMIC after 79.2 "
                         "s, 265.0 rows/s, 657 retries, 85 rate-limit pauses, 2 breaker opens\n" +
                         resume_line(dir)),
              std::string::npos)
        << r.out;
    summary["run_id"] = "another-run";  // a summary left by an earlier run is not this one's
    write_file(dir / "out" / "run_summary.json", summary.dump());
    r = run_wxbatch(dir, {"status", "--out", (dir / "out").string()});
    EXPECT_EQ(r.out.find("last session"), std::string::npos) << r.out;
}

TEST(CliStatus, RunningWithoutALockIsACrashedRunToResume) {
    TempDir dir;
    const RunOutput r = status_of(dir, "RUNNING", "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(RUNNING, but no process holds it: interrupted)\n"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find(resume_line(dir)), std::string::npos) << r.out;
}

TEST(CliStatus, RunningWithTheLockHeldSaysAProcessIsWorking) {
    TempDir dir;
    fs::create_directories(dir / "out");
    auto lock = wxbatch::state::OutDirLock::acquire((dir / "out").string());
    ASSERT_TRUE(lock) << lock.error().message;
    const RunOutput r = status_of(dir, "RUNNING", "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(RUNNING now)\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("a wxbatch process is working on it now\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("resumable"), std::string::npos);
}

// After kill -9 the checkpoint lags: the journal holds the outcomes recorded past its watermark
// (a resume counts them) and the rows whose answer never came (a resume verifies them first).
TEST(CliStatus, RowsPastTheWatermarkComeFromTheJournal) {
    TempDir dir;
    const fs::path out = dir / "out";
    fs::create_directories(out);
    const wxbatch::state::Checkpoint cp = checkpoint_in("RUNNING", "");
    {
        auto journal = wxbatch::state::Journal::open(out.string(), cp.run_id);
        ASSERT_TRUE(journal) << journal.error().message;
        const auto outcome = [](wxbatch::actions::RowStatus status) {
            return wxbatch::state::pack_outcome(static_cast<unsigned>(status), 0);
        };
        using wxbatch::actions::RowStatus;
        ASSERT_TRUE(journal->append_outcome(400, outcome(RowStatus::Success)));  // below: counted
        ASSERT_TRUE(journal->append_outcome(401, outcome(RowStatus::Success)));
        ASSERT_TRUE(journal->append_outcome(402, outcome(RowStatus::AlreadyDone)));
        ASSERT_TRUE(journal->append_outcome(403, outcome(RowStatus::RowError)));
        ASSERT_TRUE(journal->append_outcome(405, outcome(RowStatus::Success)));
        ASSERT_TRUE(journal->append_begin(404));
    }
    const RunOutput r = status_of(dir, "RUNNING", "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("confirmed: 400 rows"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("past the checkpoint: 4 rows recorded in the journal (2 succeeded, "
                         "1 already done, 1 failed): a resume counts them without sending them "
                         "again\n1 row sent without a recorded outcome"),
              std::string::npos)
        << r.out;
}

TEST(CliStatus, AJournalOfAnotherRunIsNamedNotCounted) {
    TempDir dir;
    const fs::path out = dir / "out";
    fs::create_directories(out);
    {
        auto journal = wxbatch::state::Journal::open(out.string(), "20261101T000000Z-000000");
        ASSERT_TRUE(journal) << journal.error().message;
        ASSERT_TRUE(journal->append_begin(401));
    }
    const RunOutput r = status_of(dir, "RUNNING", "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("journal: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("journal.wxj"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("past the checkpoint"), std::string::npos) << r.out;
}

TEST(CliStatus, DamagedCheckpointIsAUsageErrorNamingTheFile) {
    TempDir dir;
    fs::create_directories(dir / "out");
    write_file(dir / "out" / "checkpoint.json", "{\"schema_version\": 1, \"run_");
    const RunOutput r = run_wxbatch(dir, {"status", "--out", (dir / "out").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("checkpoint.json"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace wxtest
