#pragma once
// Progress for an operator watching a run. On a TTY one line redrawn in place at most a few
// times a second; elsewhere a plain line every `interval` seconds, suited to log files.

#include <cstdint>
#include <iosfwd>
#include <string>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::report {

struct ProgressSnapshot {
    std::uint64_t processed = 0;
    std::uint64_t success = 0;
    std::uint64_t already_done = 0;
    std::uint64_t row_errors = 0;
    std::uint64_t retries = 0;
    double fraction = 0;        // share of the input consumed, 0..1
    double elapsed_s = 0;
    double rows_per_s = 0;
    std::string breaker;        // CLOSED / OPEN / HALF_OPEN
    double paused_for_s = 0;    // remaining rate-limit pause, 0 when none
};

// One progress line, without a line end. `width` bounds its length (0 = unbounded).
std::string format_progress_line(const ProgressSnapshot& s, std::size_t width);

class ProgressPrinter {
public:
    enum class Mode { Never, Lines, Tty };
    ProgressPrinter(std::ostream& out, Mode mode, Duration interval);
    // Prints when due (or always when `final`), measured on `now`.
    void tick(const ProgressSnapshot& s, MonoTime now, bool final);

private:
    std::ostream& m_out;
    Mode m_mode;
    Duration m_interval;
    bool m_printed = false;
    MonoTime m_last{};
};

}  // namespace wxbatch::report
