#include "wxbatch/report/progress.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>

namespace wxbatch::report {

std::string format_progress_line(const ProgressSnapshot& s, std::size_t width) {
    std::string eta = "--";
    if (s.fraction > 0.001 && s.fraction < 1.0 && s.elapsed_s > 0) {
        const double remaining = s.elapsed_s * (1.0 - s.fraction) / s.fraction;
        eta = fmt::format("{}m{:02}s", static_cast<int>(remaining) / 60,
                          static_cast<int>(remaining) % 60);
    }
    std::string line = fmt::format(
        "{:5.1f}% {} rows ({:.0f}/s) ok {} already {} errors {} retries {} breaker {} ETA {}",
        s.fraction * 100.0, s.processed, s.rows_per_s, s.success, s.already_done, s.row_errors,
        s.retries, s.breaker.empty() ? "CLOSED" : s.breaker, eta);
    if (s.paused_for_s > 0) {
        line += fmt::format(" | paused by rate limit for {:.0f} s", std::ceil(s.paused_for_s));
    }
    if (width > 0 && line.size() > width) {
        line.resize(width);
    }
    return line;
}

ProgressPrinter::ProgressPrinter(std::ostream& out, Mode mode, Duration interval)
    : m_out(out), m_mode(mode), m_interval(interval) {}

void ProgressPrinter::tick(const ProgressSnapshot& s, MonoTime now, bool final) {
    if (m_mode == Mode::Never) {
        return;
    }
    const Duration due = m_mode == Mode::Tty ? Duration(0.25) : m_interval;
    if (!final && m_printed && now - m_last < due) {
        return;
    }
    if (!final && !m_printed && m_mode == Mode::Lines && s.elapsed_s < m_interval.count()) {
        return;
    }
    m_last = now;
    m_printed = true;
    if (m_mode == Mode::Tty) {
        m_out << "\r\x1b[2K" << format_progress_line(s, 120);
        if (final) {
            m_out << "\n";
        }
    } else {
        m_out << "progress: " << format_progress_line(s, 0) << "\n";
    }
    m_out.flush();
}

}  // namespace wxbatch::report
