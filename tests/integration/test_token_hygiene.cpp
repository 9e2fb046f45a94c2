// Token hygiene end to end (SPEC §2): the token never reaches a file, a log line or a report at
// the highest verbosity, through row errors, retries, a kill -9 and a resume; token files that
// others can read are refused; --token-file and --token-command work; no flag takes the token.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <map>
#include <sstream>
#include <thread>

#include "integration/fixtures.hpp"
#include "support/local_http_server.hpp"

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

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

// "path: N" for every regular file under `root` that holds `needle`; the number of files read.
std::string files_holding(const fs::path& root, const std::string& needle, std::size_t& read) {
    std::ostringstream found;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        ++read;
        if (const std::size_t n = occurrences(read_file(entry.path()), needle); n > 0) {
            found << entry.path().string() << ": " << n << "; ";
        }
    }
    return found.str();
}

// 300 membership rows: every 30th has an invalid email (no request), every 45th an unknown
// room (404 from the simulator); the rest are good.
void write_job_csv(const fs::path& path) {
    std::ostringstream csv;
    csv << "roomId,personEmail\n";
    for (int i = 1; i <= 300; ++i) {
        if (i % 30 == 0) {
            csv << k_room_id << ",not-an-email-" << i << "\n";
        } else if (i % 45 == 0) {
            csv << "Y2lzY29zcGFyazovL3VzL1JPT00vbm9wZQ,user" << i << "@example.com\n";
        } else {
            csv << k_room_id << ",user" << i << "@example.com\n";
        }
    }
    write_file(path, csv.str());
}

TEST(TokenHygiene, AFullJobWithErrorsRetriesAKillAndAResumeNeverWritesTheToken) {
    TempDir dir;
    Simulator sim(dir, {"--token", k_token}, R"({"seed": 21,
        "faults": [{"method": "POST", "path": "/v1/memberships", "status": 429,
                    "probability": 0.01, "retry_after_s": 1},
                   {"method": "POST", "path": "/v1/memberships", "status": 503,
                    "probability": 0.08}],
        "latency": {"mean_ms": 3, "jitter_ms": 2}})");
    seed_room(sim);
    write_job_csv(dir / "in.csv");
    auto args = run_args(dir, sim, "memberships.create",
                         {"--batch-size", "40", "--max-inflight-batches", "2", "-v", "-v"});

    Process first = start_wxbatch(dir, args);
    wait_for_ledger(sim, 80);
    first.signal(SIGKILL);
    ASSERT_EQ(first.wait(), 128 + SIGKILL);
    const std::string first_output =
        read_file(dir / "wxbatch.out") + read_file(dir / "wxbatch.err");

    args.push_back("--resume");
    RunOutput resumed = run_wxbatch(dir, args);
    ASSERT_EQ(resumed.exit_code, 3) << resumed.out << resumed.err;

    // The job went through everything the test is about.
    const auto summary = read_json(dir / "out" / "run_summary.json");
    EXPECT_EQ(summary["resumes"], 1);
    EXPECT_EQ(summary["totals"]["row_errors"], 10 + 3);  // 10 invalid emails, 3 unknown rooms
    EXPECT_GT(summary["retries"]["total"].get<int>(), 0) << summary["retries"].dump();
    const auto stats = sim.stats();
    EXPECT_TRUE(stats["by_status"].contains("503")) << stats.dump();
    EXPECT_TRUE(stats["by_status"].contains("404")) << stats.dump();
    EXPECT_TRUE(stats["by_status"].contains("429")) << stats.dump();

    EXPECT_EQ(occurrences(first_output, k_token), 0u) << first_output;
    EXPECT_EQ(occurrences(resumed.out + resumed.err, k_token), 0u) << resumed.out << resumed.err;
    std::size_t files = 0;
    EXPECT_EQ(files_holding(dir.path(), k_token, files), "");
    // checkpoint, summary, row errors, journal, input, both outputs, the port file at least.
    EXPECT_GE(files, 7u);
}

TEST(TokenHygiene, ATokenFileThatGroupOrOthersCanReadIsRefused) {
    TempDir dir;
    Simulator sim(dir, {"--token", k_token});
    write_membership_csv(dir / "in.csv", 1);
    const fs::path token_file = dir / "token";
    write_file(token_file, std::string(k_token) + "\n");
    for (const mode_t mode : {0640, 0604, 0660, 0644}) {
        ASSERT_EQ(::chmod(token_file.c_str(), mode), 0);
        RunOutput r = run_wxbatch(
            dir, run_args(dir, sim, "memberships.create", {"--token-file", token_file.string()}));
        EXPECT_EQ(r.exit_code, 2) << std::oct << mode;
        EXPECT_NE(r.err.find(token_file.string()), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
        EXPECT_EQ(occurrences(r.out + r.err, k_token), 0u);
    }
    EXPECT_EQ(sim.stats()["requests"], 0) << "nothing may be sent with a refused token file";
}

TEST(TokenHygiene, AnOwnerOnlyTokenFileIsUsedBeforeTheEnvironment) {
    TempDir dir;
    Simulator sim(dir, {"--token", k_token});
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 3);
    const fs::path token_file = dir / "token";
    write_file(token_file, std::string(k_token) + "\n");
    ASSERT_EQ(::chmod(token_file.c_str(), 0600), 0);
    // The environment holds a token the simulator refuses: success proves the file was used.
    RunOutput r = run_wxbatch(
        dir, run_args(dir, sim, "memberships.create", {"--token-file", token_file.string()}),
        {{"WEBEX_ACCESS_TOKEN", "wrong-token"}});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(check_exactly_once(sim.ledger(), std::string("membership:") + k_room_id + ":user",
                                 "@example.com", 3),
              "");
}

TEST(TokenHygiene, ATokenCommandSuppliesTheTokenAndItsFailureIsNamed) {
    TempDir dir;
    Simulator sim(dir, {"--token", k_token});
    seed_room(sim);
    write_membership_csv(dir / "in.csv", 2);
    const fs::path token_file = dir / "vault";
    write_file(token_file, std::string(k_token) + "\n");
    ASSERT_EQ(::chmod(token_file.c_str(), 0600), 0);
    const std::string command = "cat '" + token_file.string() + "'";
    RunOutput r =
        run_wxbatch(dir, run_args(dir, sim, "memberships.create", {"--token-command", command}),
                    {{"WEBEX_ACCESS_TOKEN", "wrong-token"}});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(sim.ledger().size(), 2u);

    fs::remove_all(dir / "out");
    RunOutput failed =
        run_wxbatch(dir, run_args(dir, sim, "memberships.create", {"--token-command", "exit 7"}));
    EXPECT_EQ(failed.exit_code, 2);
    EXPECT_NE(failed.err.find("exit 7"), std::string::npos) << failed.err;
}

TEST(TokenHygiene, NoOptionTakesTheTokenAsAValue) {
    TempDir dir;
    Simulator sim(dir, {"--token", k_token});
    write_membership_csv(dir / "in.csv", 1);
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"--token", "some-token"},
          std::vector<std::string>{"--token=some-token"},
          std::vector<std::string>{"--access-token", "some-token"}}) {
        RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create", extra));
        EXPECT_EQ(r.exit_code, 2) << extra[0];
        EXPECT_NE(r.err.find("unexpected arguments"), std::string::npos) << r.err;
        // The would-be secret is not echoed back.
        EXPECT_EQ(r.err.find("some-token"), std::string::npos) << r.err;
    }
    EXPECT_EQ(sim.stats()["requests"], 0);
}

TEST(TokenHygiene, ARefusedTokenIsAnInitialisationErrorThatDoesNotEchoIt) {
    TempDir dir;
    Simulator sim(dir, {"--token", k_token});
    write_membership_csv(dir / "in.csv", 1);
    const std::string wrong = "wrong-token-5d1e0b";
    RunOutput r = run_wxbatch(dir, run_args(dir, sim, "memberships.create", {"-v", "-v"}),
                              {{"WEBEX_ACCESS_TOKEN", wrong}});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
    EXPECT_EQ(occurrences(r.out + r.err, wrong), 0u) << r.out << r.err;
    std::size_t files = 0;
    EXPECT_EQ(files_holding(dir.path(), wrong, files), "");
    EXPECT_TRUE(sim.ledger().empty());
}

// A TLS server for 127.0.0.1 answering the token check and membership creations.
wxbatch::test::LocalHttpServer tls_server(const wxbatch::test::TestCertificate& certificate) {
    return wxbatch::test::LocalHttpServer(certificate, [](httplib::Server& server) {
        server.Get("/v1/people/me", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"id":"me","emails":["admin@example.com"]})", "application/json");
        });
        server.Post("/v1/memberships", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"id":"m1"})", "application/json");
        });
    });
}

TEST(TokenHygiene, AWrongCertificateAuthorityStopsTheRunAtTheTokenCheck) {
    TempDir dir;
    const wxbatch::test::TestCertificate certificate;
    const wxbatch::test::TestCertificate other;
    const wxbatch::test::LocalHttpServer server = tls_server(certificate);
    write_membership_csv(dir / "in.csv", 1);
    write_file(dir / "other.pem", other.pem());
    write_file(dir / "right.pem", certificate.pem());
    const std::string base = server.url() + "/v1";
    std::vector<std::string> args{"run",
                                  "--input",
                                  (dir / "in.csv").string(),
                                  "--action",
                                  "memberships.create",
                                  "--out",
                                  (dir / "out").string(),
                                  "--base-url",
                                  base,
                                  "--progress",
                                  "never"};

    // Loopback never goes through a proxy the machine may have configured.
    const std::map<std::string, std::string> env{{"NO_PROXY", "127.0.0.1"},
                                                 {"no_proxy", "127.0.0.1"}};
    auto with_ca = [&](const std::string& file) {
        auto e = env;
        e["CURL_CA_BUNDLE"] = (dir / file).string();
        return e;
    };
    RunOutput wrong = run_wxbatch(dir, args, with_ca("other.pem"));
    EXPECT_EQ(wrong.exit_code, 2) << wrong.out << wrong.err;
    EXPECT_NE(wrong.err.find("TLS certificate verification failed for 127.0.0.1"),
              std::string::npos)
        << wrong.err;
    EXPECT_NE(wrong.err.find("set CURL_CA_BUNDLE or SSL_CERT_FILE to your CA bundle"),
              std::string::npos)
        << wrong.err;
    EXPECT_EQ(occurrences(wrong.out + wrong.err, k_token), 0u);
    EXPECT_EQ(server.request_count(), 0u) << "no request may pass an unverified handshake";

    fs::remove_all(dir / "out");
    RunOutput right = run_wxbatch(dir, args, with_ca("right.pem"));
    EXPECT_EQ(right.exit_code, 0) << right.out << right.err;
    EXPECT_EQ(server.request_count(), 2u);  // GET /people/me, POST /memberships
}

}  // namespace
}  // namespace wxtest
