// The volume run: 21,000 rows under a rate limit and a fault mix, verified against wxsim's
// ledger (exactly once; run_summary.json's counts equal the ledger). Kept fast by the
// simulator's rate, not by shrinking N.

#include <gtest/gtest.h>

#include "integration/fixtures.hpp"

namespace wxtest {
namespace {

constexpr int k_rows = 21000;
constexpr const char* k_fault_mix = R"({"seed": 21,
    "rate_limit": {"rate": 4000, "burst": 200, "retry_after_s": 1},
    "faults": [{"method": "POST", "path": "/v1/", "status": 503, "probability": 0.01},
               {"method": "POST", "path": "/v1/", "status": 500, "probability": 0.005}],
    "applied_then_failed": {"probability": 0.003, "mode": "mixed"}})";

void run_volume(const std::string& action, const std::string& prefix, const std::string& suffix,
                bool memberships) {
    TempDir dir;
    Simulator sim(dir, {}, k_fault_mix);
    if (memberships) {
        seed_room(sim);
        write_membership_csv(dir / "in.csv", k_rows);
    } else {
        write_people_csv(dir / "in.csv", k_rows);
    }
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, action,
                                            {"--max-inflight-batches", "8", "--request-timeout",
                                             "5"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto ledger = sim.ledger();
    EXPECT_EQ(check_exactly_once(ledger, prefix, suffix, k_rows), "");
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_EQ(summary["totals"]["processed"], k_rows);
    EXPECT_EQ(summary["totals"]["success"].get<std::size_t>() +
                  summary["totals"]["already_done"].get<std::size_t>(),
              ledger.size());
    EXPECT_EQ(summary["totals"]["row_errors"], 0);
}

TEST(RunVolume, PeopleCreate21000ExactlyOnce) {
    run_volume("people.create", "person:person", "@example.com", false);
}

TEST(RunVolume, MembershipsCreate21000ExactlyOnce) {
    run_volume("memberships.create", "membership:" + std::string(k_room_id) + ":user",
               "@example.com", true);
}

}  // namespace
}  // namespace wxtest
