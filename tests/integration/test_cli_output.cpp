// Operator output of `wxbatch run`: results (the summary) on stdout, diagnostics on stderr as
// text or JSON lines, each row error logged once with row, class, status and tracking id,
// e-mail addresses masked unless --no-redact-pii, -q, --log-file, and never the token.

#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "integration/fixtures.hpp"
#include "integration/harness.hpp"

namespace wxtest {
namespace {

// 20 rows in k_room_id: row 5 has a malformed e-mail (a validation error, nothing sent) and
// row 9 names an unknown room (404 from the service, with a tracking id).
void write_input(const TempDir& dir) {
    std::ostringstream csv;
    csv << "roomId,personEmail\n";
    for (int i = 1; i <= 20; ++i) {
        if (i == 5) {
            csv << k_room_id << ",alice.smith@example.com@bad\n";
        } else if (i == 9) {
            csv << "Y2lzY29zcGFyazovL3VzL1JPT00vbm9wZQ,bob.jones@example.com\n";
        } else {
            csv << k_room_id << ",user" << i << "@example.com\n";
        }
    }
    write_file(dir / "in.csv", csv.str());
}

std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.find(needle) != std::string::npos) {
            found.push_back(line);
        }
    }
    return found;
}

class CliOutput : public ::testing::Test {
  protected:
    CliOutput() : m_sim(m_dir, {}) {
        seed_room(m_sim);
        write_input(m_dir);
    }
    RunOutput run(std::vector<std::string> extra) {
        return run_wxbatch(m_dir, run_args(m_dir, m_sim, "memberships.create", std::move(extra)));
    }
    TempDir m_dir;
    Simulator m_sim;
};

TEST_F(CliOutput, TextLogsEachRowErrorOnceMaskedAndTheSummaryOnStdout) {
    const RunOutput r = run({});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    const auto errors = lines_with(r.err, "wxbatch: warning: row ");
    ASSERT_EQ(errors.size(), 2u) << r.err;
    EXPECT_EQ(errors[0].rfind("wxbatch: warning: row 5 (line 6): ROW_ERROR_NON_RETRYABLE: ", 0), 0u)
        << errors[0];
    EXPECT_EQ(
        errors[1].rfind("wxbatch: warning: row 9 (line 10): ROW_ERROR_NON_RETRYABLE 404: ", 0), 0u)
        << errors[1];
    EXPECT_NE(errors[1].find("[trackingId "), std::string::npos) << errors[1];
    EXPECT_EQ(r.err.find("alice.smith"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("bob.jones"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(k_token), std::string::npos);
    EXPECT_TRUE(lines_with(r.err, "wxbatch: debug:").empty()) << r.err;
    EXPECT_EQ(r.out.rfind("COMPLETED_WITH_ROW_ERRORS\n", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("rows:      20 processed: 18 succeeded, 0 already done, 2 row errors\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("reports:   " + (m_dir / "out" / "run_summary.json").string()),
              std::string::npos);
    EXPECT_EQ(r.out.find("wxbatch: "), std::string::npos) << "diagnostics leaked to stdout";
}

TEST_F(CliOutput, JsonLinesCarryTheRowErrorFields) {
    const RunOutput r = run({"--log-format", "json"});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    const auto errors = lines_with(r.err, "\"event\":\"row_error\"");
    ASSERT_EQ(errors.size(), 2u) << r.err;
    const auto doc = nlohmann::json::parse(errors[1]);
    EXPECT_EQ(doc["level"], "warning");
    EXPECT_EQ(doc["row"], 9);
    EXPECT_EQ(doc["line"], 10);
    EXPECT_EQ(doc["error_class"], "ROW_ERROR_NON_RETRYABLE");
    EXPECT_EQ(doc["http_status"], 404);
    EXPECT_FALSE(doc["tracking_id"].get<std::string>().empty());
    EXPECT_EQ(nlohmann::json::parse(errors[0])["http_status"], 0);
    EXPECT_EQ(r.err.find("alice.smith"), std::string::npos) << r.err;
}

TEST_F(CliOutput, NoRedactPiiShowsAddressesAndLogFileGetsTheSameLines) {
    const fs::path log = m_dir / "wxbatch.log";
    const RunOutput r = run({"--no-redact-pii", "--log-file", log.string()});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("alice.smith@example.com@bad"), std::string::npos) << r.err;
    const std::string file = read_file(log);
    EXPECT_EQ(lines_with(file, "wxbatch: warning: row "),
              lines_with(r.err, "wxbatch: warning: row "));
    EXPECT_EQ(file.find(k_token), std::string::npos);
}

TEST_F(CliOutput, QuietHidesRowErrorsButKeepsTheSummary) {
    const RunOutput r = run({"-q"});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out.rfind("COMPLETED_WITH_ROW_ERRORS\n", 0), 0u) << r.out;
}

TEST_F(CliOutput, VerboseAddsTheEffectiveConfigurationWithoutTheToken) {
    const RunOutput r = run({"-v"});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    const auto debug = lines_with(r.err, "wxbatch: debug: effective configuration: {");
    ASSERT_EQ(debug.size(), 1u) << r.err;
    EXPECT_NE(debug[0].find("\"token_source\":\"environment\""), std::string::npos) << debug[0];
    EXPECT_EQ(r.err.find(k_token), std::string::npos);
}

TEST_F(CliOutput, ProgressAlwaysPrintsPlainLinesAndAFinalOne) {
    const RunOutput r = run({"--progress", "always", "--progress-interval", "0.01"});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    const auto progress = lines_with(r.err, "progress: ");
    ASSERT_FALSE(progress.empty()) << r.err;
    EXPECT_EQ(progress.back().rfind("progress: 100.0% 20/20 rows (", 0), 0u) << progress.back();
    EXPECT_EQ(r.err.find('\r'), std::string::npos);
}

TEST_F(CliOutput, UnwritableLogFileIsAUsageError) {
    const RunOutput r = run({"--log-file", (m_dir / "no-such-dir" / "x.log").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot open the log file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace wxtest
