// Interruptions: kill -9 in the middle of a batch, SIGINT, a refused second run, a refused
// resume with another input; every resume finishes with each row applied exactly once.

#include <gtest/gtest.h>

#include <signal.h>

#include <thread>

#include "integration/fixtures.hpp"

namespace wxtest {
namespace {

// Waits until the simulator's ledger holds at least `n` keys.
void wait_for_ledger(const Simulator& sim, std::size_t n) {
    for (int i = 0; i < 3000; ++i) {
        if (sim.ledger().size() >= n) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "the ledger never reached " << n;
}

TEST(RunResume, KillNineMidBatchThenResumeRedoesNothing) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 3, "latency": {"mean_ms": 4, "jitter_ms": 2}})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 300);
    auto args = run_args(dir, sim, "memberships.create", {"--batch-size", "100"});

    Process p = start_wxbatch(dir, args);
    wait_for_ledger(sim, 150);  // in the middle of the second batch
    p.signal(SIGKILL);
    EXPECT_EQ(p.wait(), 128 + SIGKILL);
    const auto before = read_json(dir / "out" / "checkpoint.json");
    EXPECT_EQ(before["state"], "RUNNING");

    args.push_back("--resume");
    RunOutput r = run_wxbatch(dir, args);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), "membership:" + std::string(k_room_id) + ":user",
                                 "@example.com", 300),
              "");
    // Rows applied before the kill were journaled: the resume sent no duplicate create,
    // so the simulator answered no 409.
    const auto stats = sim.stats();
    EXPECT_FALSE(stats["by_status"].contains("409")) << stats.dump();
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_EQ(summary["totals"]["processed"], 300);
    EXPECT_EQ(summary["resumes"], 1);
}

TEST(RunResume, SigintAbortsResumablyAndResumeCompletes) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 4, "latency": {"mean_ms": 5, "jitter_ms": 1}})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 200);
    auto args = run_args(dir, sim, "memberships.create", {"--batch-size", "50"});
    Process p = start_wxbatch(dir, args);
    wait_for_ledger(sim, 30);
    p.signal(SIGINT);
    EXPECT_EQ(p.wait(), 5) << read_file(dir / "wxbatch.err");
    const auto cp = read_json(dir / "out" / "checkpoint.json");
    EXPECT_EQ(cp["state"], "ABORTED_BY_POLICY");
    EXPECT_NE(cp["reason"].get<std::string>().find("SIGINT"), std::string::npos);
    EXPECT_NE(read_file(dir / "wxbatch.out").find("--resume"), std::string::npos);

    // A new run without --resume into the same --out is refused.
    RunOutput refused = run_wxbatch(dir, args);
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("unfinished run"), std::string::npos) << refused.err;

    args.push_back("--resume");
    RunOutput r = run_wxbatch(dir, args);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), "membership:" + std::string(k_room_id) + ":user",
                                 "@example.com", 200),
              "");
}

TEST(RunResume, ResumeWithAnotherInputIsRefused) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 5, "latency": {"mean_ms": 5}})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 100);
    auto args = run_args(dir, sim, "memberships.create", {"--batch-size", "10"});
    Process p = start_wxbatch(dir, args);
    wait_for_ledger(sim, 20);
    p.signal(SIGKILL);
    p.wait();
    write_membership_csv(dir / "in.csv", 101);  // the file changed
    args.push_back("--resume");
    RunOutput r = run_wxbatch(dir, args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("SHA-256"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace wxtest
