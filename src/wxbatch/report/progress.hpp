#pragma once
// Progress for an operator watching a run. On a TTY one status line (a bar, rows done of the
// estimated total, rows/s, ETA, outcomes, retries, breaker state, a rate-limit pause) redrawn in
// place at most four times a second and fitted to the terminal's width; elsewhere a plain
// `progress:` line every `interval` seconds, suited to log files. No colour is used, so NO_COLOR
// holds by construction.

#include <cstdint>
#include <functional>
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
    // Rows in the whole input: exact once the input is read to its end, otherwise estimated
    // from the bytes consumed so far (0 = not known yet).
    std::uint64_t rows_total = 0;
    bool rows_total_exact = false;
    double fraction = 0;  // share of the input confirmed, 0..1 (by bytes)
    double elapsed_s = 0;
    double rows_per_s = 0;
    std::string breaker;      // CLOSED / OPEN / HALF_OPEN
    double paused_for_s = 0;  // remaining rate-limit pause, 0 when none
};

// Rows in a file of `file_size` bytes, estimated from `rows` rows that took the bytes from
// `data_start` (the end of the header) to `offset`; 0 when nothing was read yet.
std::uint64_t estimate_rows_total(std::uint64_t rows, std::uint64_t data_start,
                                  std::uint64_t offset, std::uint64_t file_size);

// The share of the job done, 0..1: processed / rows_total when a total is known, else fraction.
double done_fraction(const ProgressSnapshot& s);

// "1m05s", "2h03m", or "--" when unknown (negative).
std::string format_duration_short(double seconds);

// The plain line, without a line end: every figure, nothing elided.
std::string format_progress_line(const ProgressSnapshot& s);

// The TTY status line for a terminal of `width` columns (never longer than width - 1, so the
// cursor never wraps): the bar shrinks first, then the less important figures are dropped.
std::string format_progress_bar(const ProgressSnapshot& s, std::size_t width);

// The width of the terminal on file descriptor `fd`, or 80 when it cannot be told.
std::size_t terminal_width(int fd);

class ProgressPrinter {
  public:
    enum class Mode { Never, Lines, Tty };
    // `width` is asked at every redraw (the terminal may be resized).
    ProgressPrinter(
        std::ostream& out, Mode mode, Duration interval,
        std::function<std::size_t()> width = [] { return std::size_t{80}; });
    // Prints when due (or always when `final`), measured on `now`.
    void tick(const ProgressSnapshot& s, MonoTime now, bool final);

    // The shortest time between two redraws on a TTY.
    static constexpr double k_tty_redraw_s = 0.25;

  private:
    std::ostream& m_out;
    Mode m_mode;
    Duration m_interval;
    std::function<std::size_t()> m_width;
    bool m_printed = false;
    MonoTime m_first{};
    bool m_started = false;
    MonoTime m_last{};
};

}  // namespace wxbatch::report
