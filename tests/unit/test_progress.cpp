// The progress renderer: the plain line off a TTY, the bar fitted to a fake terminal width, the
// redraw cadence measured on a fake clock, and the row-total estimate from bytes.

#include <gtest/gtest.h>

#include <sstream>

#include "wxbatch/report/progress.hpp"

namespace wxbatch::report {
namespace {

ProgressSnapshot mid_run() {
    ProgressSnapshot s;
    s.processed = 5000;
    s.success = 4890;
    s.already_done = 10;
    s.row_errors = 100;
    s.retries = 37;
    s.rows_total = 20000;
    s.fraction = 0.24;
    s.elapsed_s = 25;
    s.rows_per_s = 200;
    s.breaker = "CLOSED";
    return s;
}

TEST(ProgressLine, ShowsEveryFigureWithEstimatedTotalAndEta) {
    EXPECT_EQ(format_progress_line(mid_run()),
              " 25.0% 5000/~20000 rows (200/s) ok 4890 already 10 errors 100 retries 37 breaker "
              "CLOSED elapsed 0m25s ETA 1m15s");
}

TEST(ProgressLine, ExactTotalHasNoTildeAndPauseIsAppended) {
    ProgressSnapshot s = mid_run();
    s.rows_total_exact = true;
    s.breaker = "OPEN";
    s.paused_for_s = 2.2;
    EXPECT_EQ(format_progress_line(s),
              " 25.0% 5000/20000 rows (200/s) ok 4890 already 10 errors 100 retries 37 breaker "
              "OPEN elapsed 0m25s ETA 1m15s | paused by rate limit for 3 s");
}

TEST(ProgressLine, WithoutTotalUsesTheByteFractionAndUnknownEtaIsDashes) {
    ProgressSnapshot s;
    s.processed = 3;
    s.breaker = "";
    EXPECT_EQ(format_progress_line(s),
              "  0.0% 3 rows (0/s) ok 0 already 0 errors 0 retries 0 breaker CLOSED elapsed 0m00s "
              "ETA --");
    s.fraction = 0.5;
    s.elapsed_s = 10;
    EXPECT_NE(format_progress_line(s).find(" 50.0% 3 rows"), std::string::npos);
    EXPECT_NE(format_progress_line(s).find("ETA 0m10s"), std::string::npos);
}

TEST(ProgressBar, FitsAWideTerminalWithBarAndAllFigures) {
    const std::string line = format_progress_bar(mid_run(), 120);
    EXPECT_EQ(line,
              "[########...........................]  25.0% 5000/~20000 rows 200/s ETA 1m15s ok "
              "4900 err 100 retries 37 breaker CLOSED");
    EXPECT_LT(line.size(), 120u);
}

TEST(ProgressBar, NarrowTerminalDropsTheLeastImportantFiguresFirst) {
    const std::string line = format_progress_bar(mid_run(), 60);
    EXPECT_EQ(line, "[####.............]  25.0% 5000/~20000 rows 200/s ETA 1m15s");
    EXPECT_LE(line.size(), 59u);
    for (std::size_t width : {1u, 5u, 20u, 33u, 40u, 80u, 200u}) {
        EXPECT_LT(format_progress_bar(mid_run(), width).size(), std::max<std::size_t>(width, 1))
            << width;
    }
}

TEST(ProgressBar, RateLimitPauseComesRightAfterThePercentage) {
    ProgressSnapshot s = mid_run();
    s.paused_for_s = 0.4;
    const std::string line = format_progress_bar(s, 80);
    EXPECT_EQ(line.find("paused by rate limit for 1 s"), line.find("25.0%") + 6) << line;
}

TEST(ProgressBar, FullBarAtTheEnd) {
    ProgressSnapshot s = mid_run();
    s.processed = 20000;
    s.rows_total_exact = true;
    const std::string line = format_progress_bar(s, 140);
    EXPECT_EQ(line.rfind("[" + std::string(40, '#') + "] 100.0% 20000/20000 rows", 0), 0u) << line;
    EXPECT_NE(line.find("ETA 0m00s"), std::string::npos);
}

TEST(ProgressEstimate, RowsTotalFromBytes) {
    EXPECT_EQ(estimate_rows_total(0, 30, 30, 1030), 0u);
    EXPECT_EQ(estimate_rows_total(100, 30, 30, 1030), 0u);
    EXPECT_EQ(estimate_rows_total(100, 30, 530, 1030), 200u);
    EXPECT_EQ(estimate_rows_total(10, 0, 333, 1000), 30u);
}

TEST(ProgressDuration, ShortForms) {
    EXPECT_EQ(format_duration_short(-1), "--");
    EXPECT_EQ(format_duration_short(0), "0m00s");
    EXPECT_EQ(format_duration_short(65.4), "1m05s");
    EXPECT_EQ(format_duration_short(7385), "2h03m");
}

MonoTime at_ms(int ms) {
    return MonoTime{} + std::chrono::milliseconds(ms);
}

TEST(ProgressPrinter, LinesModePrintsEveryIntervalAndTheFinalLine) {
    std::ostringstream out;
    ProgressPrinter printer(out, ProgressPrinter::Mode::Lines, Duration(5));
    ProgressSnapshot s = mid_run();
    printer.tick(s, at_ms(0), false);
    printer.tick(s, at_ms(4900), false);
    EXPECT_EQ(out.str(), "");
    printer.tick(s, at_ms(5000), false);
    printer.tick(s, at_ms(9000), false);
    printer.tick(s, at_ms(10000), false);
    printer.tick(s, at_ms(10100), true);
    const std::string line = "progress: " + format_progress_line(s) + "\n";
    EXPECT_EQ(out.str(), line + line + line);
}

TEST(ProgressPrinter, TtyModeRedrawsInPlaceAtMostFourTimesASecond) {
    std::ostringstream out;
    std::size_t width = 60;
    ProgressPrinter printer(out, ProgressPrinter::Mode::Tty, Duration(5), [&] { return width; });
    ProgressSnapshot s = mid_run();
    for (int i = 0; i <= 100; ++i) {  // one second in 10 ms steps
        printer.tick(s, at_ms(i * 10), false);
    }
    const std::string frame = "\r\x1b[2K" + format_progress_bar(s, 60);
    EXPECT_EQ(out.str(), frame + frame + frame + frame + frame);  // at 0, .25, .5, .75, 1.0
    out.str("");
    width = 200;  // a resized terminal is honoured at the next redraw
    printer.tick(s, at_ms(1010), true);
    EXPECT_EQ(out.str(), "\r\x1b[2K" + format_progress_bar(s, 200) + "\n");
}

TEST(ProgressPrinter, NeverModePrintsNothing) {
    std::ostringstream out;
    ProgressPrinter printer(out, ProgressPrinter::Mode::Never, Duration(1));
    printer.tick(mid_run(), at_ms(100000), false);
    printer.tick(mid_run(), at_ms(200000), true);
    EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace wxbatch::report
