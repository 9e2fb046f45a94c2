// Rows of a batch side by side (--max-inflight-requests above --max-inflight-batches): every row
// applied exactly once under faults, more than one row of a batch in flight, the ceiling never
// passed; and a kill -9 with many rows in flight per batch resumes without redoing anything.

#include <gtest/gtest.h>

#include <signal.h>

#include <thread>

#include "integration/fixtures.hpp"

namespace wxtest {
namespace {

const std::string k_member_prefix = "membership:" + std::string(k_room_id) + ":user";

TEST(RunLanes, RowsOfABatchRunSideBySideExactlyOnceUnderFaults) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 41, "latency": {"mean_ms": 3, "jitter_ms": 2},
        "faults": [{"method": "POST", "path": "/v1/", "status": 503, "probability": 0.02}],
        "applied_then_failed": {"probability": 0.01, "mode": "mixed"}})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 3000);
    RunOutput r = run_wxbatch(
        dir, run_args(dir, sim, "memberships.create",
                      {"--batch-size", "100", "--max-inflight-batches", "2",
                       "--max-inflight-requests", "12", "--request-timeout", "5"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), k_member_prefix, "@example.com", 3000), "");
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_EQ(summary["totals"]["processed"], 3000);
    EXPECT_EQ(summary["totals"]["row_errors"], 0);
    const auto& in_flight = summary["rate_pacing"]["in_flight"];
    EXPECT_EQ(in_flight["ceiling"], 12);
    // Two batches open at most: a peak above 2 means rows of one batch ran side by side.
    EXPECT_GT(in_flight["peak"].get<int>(), 2) << in_flight.dump();
    EXPECT_LE(in_flight["peak"].get<int>(), 12) << in_flight.dump();
    EXPECT_EQ(summary["configuration"]["max_inflight_requests"], 12);
}

TEST(RunLanes, KillNineWithManyRowsInFlightThenResumeRedoesNothing) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 42, "latency": {"mean_ms": 6, "jitter_ms": 4}})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 1200);
    auto args = run_args(dir, sim, "memberships.create",
                         {"--batch-size", "200", "--max-inflight-requests", "16"});
    Process p = start_wxbatch(dir, args);
    for (int i = 0; i < 3000 && sim.ledger().size() < 500; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    p.signal(SIGKILL);
    EXPECT_EQ(p.wait(), 128 + SIGKILL);

    args.push_back("--resume");
    RunOutput r = run_wxbatch(dir, args);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), k_member_prefix, "@example.com", 1200), "");
    // The rows in flight at the kill were verified by lookup before any resend: no 409.
    const auto stats = sim.stats();
    EXPECT_FALSE(stats["by_status"].contains("409")) << stats.dump();
    EXPECT_EQ(read_json(dir / "out" / "run_summary.json")["totals"]["processed"], 1200);
}

TEST(RunLanes, InflightRequestsBelowTheBatchesIsRefused) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 43})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 5);
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create",
                                            {"--max-inflight-batches", "4",
                                             "--max-inflight-requests", "2"}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--max-inflight-requests must be between"), std::string::npos) << r.err;
    EXPECT_TRUE(sim.ledger().empty());
}

}  // namespace
}  // namespace wxtest
