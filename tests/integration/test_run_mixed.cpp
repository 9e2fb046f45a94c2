// The real wxbatch against a real wxsim: a mixed CSV of good rows, bad rows and transient
// faults; the exit code, the reports and wxsim's ledger must agree row by row.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "integration/harness.hpp"

namespace wxtest {
namespace {

const char* const k_room = "Y2lzY29zcGFyazovL3VzL1JPT00vdGVzdC1yb29t";

std::string seed_room(const Simulator& sim) {
    sim.post("/_sim/seed", {{"rooms", {{{"id", k_room}, {"title", "integration"}}}}});
    return k_room;
}

std::vector<std::string> csv_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

TEST(RunMixed, RowErrorsAreListedAndGoodRowsAppliedOnce) {
    TempDir dir;
    Simulator sim(dir, {}, R"({"seed": 7,
        "rate_limit": {"rate": 200, "burst": 20, "retry_after_s": 1},
        "faults": [{"method": "POST", "path": "/v1/memberships", "status": 503, "probability": 0.05},
                   {"method": "POST", "path": "/v1/memberships", "status": 500, "probability": 0.03}]})");
    const std::string room = seed_room(sim);

    std::ostringstream csv;
    csv << "roomId,personEmail\n";
    std::set<std::string> good;
    std::set<int> bad_rows;
    for (int i = 1; i <= 120; ++i) {
        if (i % 40 == 0) {
            csv << room << ",not-an-email-" << i << "\n";  // validation error, nothing sent
            bad_rows.insert(i);
        } else if (i % 50 == 0) {
            csv << "Y2lzY29zcGFyazovL3VzL1JPT00vbm9wZQ,user" << i << "@example.com\n";  // 404
            bad_rows.insert(i);
        } else {
            csv << room << ",user" << i << "@example.com\n";
            good.insert("membership:" + room + ":user" + std::to_string(i) + "@example.com");
        }
    }
    write_file(dir / "in.csv", csv.str());

    RunOutput r = run_wxbatch(dir, {"run", "--input", (dir / "in.csv").string(), "--action",
                                    "memberships.create", "--out", (dir / "out").string(),
                                    "--base-url", sim.base_url(), "--batch-size", "25",
                                    "--max-inflight-batches", "2", "--retry-base-delay", "0.05",
                                    "--retry-max-delay", "0.2", "--progress", "never"});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;

    const auto ledger = sim.ledger();
    for (const auto& key : good) {
        ASSERT_TRUE(ledger.contains(key)) << key;
        EXPECT_EQ(ledger[key].get<int>(), 1) << key;
    }
    EXPECT_EQ(ledger.size(), good.size());

    const auto lines = csv_lines(read_file(dir / "out" / "row_errors.csv"));
    ASSERT_EQ(lines.size(), bad_rows.size() + 1);
    EXPECT_EQ(lines[0].rfind("row_number,line_number,roomId,personEmail,error_class", 0), 0u)
        << lines[0];
    std::set<int> reported;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        reported.insert(std::stoi(lines[i].substr(0, lines[i].find(','))));
    }
    EXPECT_EQ(reported, bad_rows);

    const auto summary = nlohmann::json::parse(read_file(dir / "out" / "run_summary.json"));
    EXPECT_EQ(summary["state"], "COMPLETED_WITH_ROW_ERRORS");
    EXPECT_EQ(summary["totals"]["processed"], 120);
    EXPECT_EQ(summary["totals"]["row_errors"], bad_rows.size());
    EXPECT_EQ(summary["totals"]["success"].get<std::size_t>() +
                  summary["totals"]["already_done"].get<std::size_t>(),
              good.size());

    // The performance profile counts what wxsim saw: every request to the endpoint, what it was
    // answered (the 404s of the unknown room, the injected 5xx, the 429s), every resend.
    const auto stats = sim.stats();
    const auto& profile = summary["performance"];
    EXPECT_EQ(profile["action"], "memberships.create");
    const auto& posts = profile["by_endpoint"]["POST /memberships"];
    EXPECT_EQ(posts["requests"], stats["by_endpoint"]["POST /v1/memberships"]) << profile.dump(2);
    EXPECT_EQ(posts["answers"]["404"], 2);
    for (const char* status : {"429", "500", "503"}) {
        EXPECT_EQ(posts["answers"].value(status, 0), stats["by_status"].value(status, 0)) << status;
    }
    EXPECT_GT(posts["answers"].value("503", 0), 0);
    // The profile counts every resend; "retries" counts those after failures, and a resend
    // after a 429 is a rate-limit wait (it has its own budget).
    const int resends_after_429 = posts["answers"].value("429", 0);
    EXPECT_EQ(posts["retries"].get<int>(),
              summary["retries"]["total"].get<int>() + resends_after_429);
    EXPECT_EQ(profile["retries"], posts["retries"]);
    EXPECT_EQ(posts["requests"].get<int>(), good.size() + 2 + posts["retries"].get<int>());
    EXPECT_EQ(posts["latency_ms"]["count"], posts["requests"]);
    EXPECT_EQ(r.out.find(k_token), std::string::npos);
    EXPECT_EQ(r.err.find(k_token), std::string::npos);
}

TEST(RunInit, BadTokenSendsNothingElse) {
    TempDir dir;
    Simulator sim(dir, {});
    write_file(dir / "in.csv", "roomId,personEmail\nr,a@example.com\n");
    RunOutput r = run_wxbatch(dir, {"run", "--input", (dir / "in.csv").string(), "--action",
                                    "memberships.create", "--out", (dir / "out").string(),
                                    "--base-url", sim.base_url()},
                              {{"WEBEX_ACCESS_TOKEN", "wrong-token"}});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
    const auto stats = sim.stats();
    EXPECT_EQ(stats["requests"], 1);
    EXPECT_EQ(sim.ledger().size(), 0u);
}

TEST(RunInit, MissingCriticalHeaderIsListed) {
    TempDir dir;
    Simulator sim(dir, {});
    write_file(dir / "in.csv", "room,mail\nr,a@example.com\n");
    RunOutput r = run_wxbatch(dir, {"run", "--input", (dir / "in.csv").string(), "--action",
                                    "memberships.create", "--out", (dir / "out").string(),
                                    "--base-url", sim.base_url()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("roomId"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("personEmail"), std::string::npos) << r.err;
    EXPECT_EQ(sim.stats()["requests"], 0);
}

}  // namespace
}  // namespace wxtest

namespace wxtest {
namespace {

TEST(RunPolicy, RowErrorRateAbortsResumably) {
    TempDir dir;
    Simulator sim(dir, {});
    sim.post("/_sim/seed", {{"rooms", {{{"id", k_room}, {"title", "policy"}}}}});
    std::ostringstream csv;
    csv << "roomId,personEmail\n";
    for (int i = 1; i <= 200; ++i) {
        // Every other row names a room that does not exist: a 404 row error.
        csv << (i % 2 == 0 ? std::string("Y2lzY29zcGFyazovL3VzL1JPT00vbm9wZQ") : std::string(k_room))
            << ",user" << i << "@example.com\n";
    }
    write_file(dir / "in.csv", csv.str());
    RunOutput r = run_wxbatch(dir, {"run", "--input", (dir / "in.csv").string(), "--action",
                                    "memberships.create", "--out", (dir / "out").string(),
                                    "--base-url", sim.base_url(), "--batch-size", "10",
                                    "--max-row-error-rate", "0.2", "--min-rows-for-error-rate",
                                    "20", "--progress", "never"});
    EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
    const auto summary = nlohmann::json::parse(read_file(dir / "out" / "run_summary.json"));
    EXPECT_EQ(summary["state"], "ABORTED_BY_POLICY");
    EXPECT_NE(summary["reason"].get<std::string>().find("max-row-error-rate"), std::string::npos);
    EXPECT_LT(summary["totals"]["processed"].get<int>(), 40);
    EXPECT_NE(r.out.find("--resume"), std::string::npos);
}

}  // namespace
}  // namespace wxtest
