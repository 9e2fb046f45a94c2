// Systemic conditions: an outage the breaker rides out, an outage that outlasts the breaker's
// policy (FAILED_SYSTEMIC, resumable), and a token revoked in the middle of the run.

#include <gtest/gtest.h>

#include "integration/fixtures.hpp"

namespace wxtest {
namespace {

TEST(RunSystemic, ShortOutageOpensBreakerRowsWaitAndComplete) {
    TempDir dir;
    // Requests 60..119 (counting from the start) all get 503.
    Simulator sim(dir, {}, R"({"seed": 8, "latency": {"mean_ms": 2},
        "outages": [{"start_request": 60, "requests": 60}]})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 150);
    RunOutput r = run_wxbatch(
        dir, run_args(dir, sim, "memberships.create",
                      {"--batch-size", "50", "--breaker-window", "10", "--breaker-open-seconds",
                       "0.3", "--retry-max-attempts", "3", "--retry-max-delay", "0.05",
                       "--breaker-max-open-seconds", "60"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), "membership:" + std::string(k_room_id) + ":user",
                                 "@example.com", 150),
              "");
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_EQ(summary["totals"]["row_errors"], 0);
    EXPECT_GE(summary["breaker"]["opens"].get<int>(), 1) << summary.dump(2);
}

TEST(RunSystemic, PersistentOutageFailsSystemicAndIsResumable) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 9, "outages": [{"start_request": 30, "requests": 100000}]})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 100);
    auto args = run_args(dir, sim, "memberships.create",
                         {"--batch-size", "10", "--breaker-window", "10", "--breaker-open-seconds",
                          "0.2", "--breaker-max-open-seconds", "1.5", "--retry-max-delay",
                          "0.05"});
    RunOutput r = run_wxbatch(dir, args);
    ASSERT_EQ(r.exit_code, 4) << r.out << r.err;
    const auto cp = read_json(dir / "out" / "checkpoint.json");
    EXPECT_EQ(cp["state"], "FAILED_SYSTEMIC");
    EXPECT_NE(r.out.find("--resume"), std::string::npos);
    // Nothing was recorded as a row error because of the outage.
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_EQ(summary["totals"]["row_errors"], 0) << summary.dump(2);
    EXPECT_LT(summary["totals"]["processed"].get<int>(), 100);
    RunOutput status = run_wxbatch(dir, {"status", "--out", (dir / "out").string()});
    EXPECT_EQ(status.exit_code, 0);
    EXPECT_NE(status.out.find("resumable"), std::string::npos) << status.out;
}

TEST(RunSystemic, RevokedTokenFailsPromptly) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 10, "revoke_token_after": 40})");
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 500);
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create", {"--batch-size", "20"}));
    ASSERT_EQ(r.exit_code, 4) << r.out << r.err;
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_NE(summary["reason"].get<std::string>().find("401"), std::string::npos);
    // Promptly: a handful of requests after the revocation, not the rest of the file.
    EXPECT_LT(sim.stats()["requests"].get<int>(), 60);
    EXPECT_EQ(summary["totals"]["row_errors"], 0);
}

}  // namespace
}  // namespace wxtest
