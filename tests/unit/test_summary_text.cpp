// The end-of-run summary as the operator reads it on stdout.

#include <gtest/gtest.h>

#include "wxbatch/report/summary_text.hpp"

namespace wxbatch::report {
namespace {

SummaryFacts completed_with_errors() {
    SummaryFacts f;
    f.state = "COMPLETED_WITH_ROW_ERRORS";
    f.processed = 21000;
    f.processed_this_session = 21000;
    f.success = 20775;
    f.already_done = 120;
    f.row_errors = 105;
    f.duration_s = 79.1;
    f.retries = 656;
    f.rate_limit_pauses = 82;
    f.rate_limit_pause_s = 82.0;
    f.breaker_opens = 2;
    f.out_dir = "out";
    f.input = "people.csv";
    f.action = "people.create";
    return f;
}

TEST(SummaryText, FinishedRunHasCountsTimesPushbackAndReports) {
    EXPECT_EQ(format_summary_text(completed_with_errors()),
              "COMPLETED_WITH_ROW_ERRORS\n"
              "rows:      21000 processed: 20775 succeeded, 120 already done, 105 row errors\n"
              "time:      1m19s (79.1 s), 265.5 rows/s\n"
              "pushback:  656 retries, 82 rate-limit pauses (82.0 s), 2 breaker opens\n"
              "reports:   out/run_summary.json\n"
              "           out/row_errors.csv\n"
              "           out/checkpoint.json\n");
}

TEST(SummaryText, ResumableRunGivesReasonSessionCountAndExactResumeCommand) {
    SummaryFacts f = completed_with_errors();
    f.state = "FAILED_SYSTEMIC";
    f.reason = "circuit breaker open for 600 s";
    f.processed_this_session = 1000;
    f.resumable = true;
    f.input = "my people.csv";
    f.out_dir = "run-1";
    f.base_url = "http://127.0.0.1:8080/v1";
    const std::string text = format_summary_text(f);
    EXPECT_EQ(text.substr(0, text.find('\n')), "FAILED_SYSTEMIC: circuit breaker open for 600 s");
    EXPECT_NE(text.find("rows:      21000 processed (1000 in this session): "), std::string::npos)
        << text;
    EXPECT_NE(text.find("time:      1m19s (79.1 s), 12.6 rows/s\n"), std::string::npos) << text;
    EXPECT_EQ(text.substr(text.find("resume:")),
              "resume:    wxbatch run --input 'my people.csv' --action people.create --out run-1 "
              "--base-url http://127.0.0.1:8080/v1 --resume\n");
}

TEST(SummaryText, NoResumeLineWhenNotResumableAndZeroDurationIsSafe) {
    SummaryFacts f = completed_with_errors();
    f.duration_s = 0;
    const std::string text = format_summary_text(f);
    EXPECT_EQ(text.find("resume:"), std::string::npos);
    EXPECT_NE(text.find("time:      0m00s (0.0 s), 0.0 rows/s\n"), std::string::npos) << text;
}

TEST(ShellQuote, PlainWordsStayAndOthersAreSingleQuoted) {
    EXPECT_EQ(shell_quote("dir/people-1.csv"), "dir/people-1.csv");
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote("$(rm -rf x)"), "'$(rm -rf x)'");
}

}  // namespace
}  // namespace wxbatch::report
