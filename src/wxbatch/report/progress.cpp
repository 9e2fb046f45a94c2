#include "wxbatch/report/progress.hpp"

#include <sys/ioctl.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <vector>

#include <fmt/format.h>

namespace wxbatch::report {

std::uint64_t estimate_rows_total(std::uint64_t rows, std::uint64_t data_start,
                                  std::uint64_t offset, std::uint64_t file_size) {
    if (rows == 0 || offset <= data_start || file_size <= data_start) {
        return 0;
    }
    const double per_byte = static_cast<double>(rows) / static_cast<double>(offset - data_start);
    return static_cast<std::uint64_t>(
        std::llround(per_byte * static_cast<double>(file_size - data_start)));
}

double done_fraction(const ProgressSnapshot& s) {
    if (s.rows_total > 0) {
        return std::min(1.0, static_cast<double>(s.processed) / static_cast<double>(s.rows_total));
    }
    return std::clamp(s.fraction, 0.0, 1.0);
}

std::string format_duration_short(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) {
        return "--";
    }
    const auto total = static_cast<long long>(std::llround(seconds));
    if (total >= 3600) {
        return fmt::format("{}h{:02}m", total / 3600, (total % 3600) / 60);
    }
    return fmt::format("{}m{:02}s", total / 60, total % 60);
}

namespace {

// Seconds left at the current rate, or -1 when it cannot be told yet.
double eta_seconds(const ProgressSnapshot& s) {
    const double done = done_fraction(s);
    if (done >= 1.0) {
        return 0;
    }
    if (s.rows_total > 0 && s.rows_per_s > 0) {
        return static_cast<double>(s.rows_total - std::min(s.rows_total, s.processed)) /
               s.rows_per_s;
    }
    if (done > 0.001 && s.elapsed_s > 0) {
        return s.elapsed_s * (1.0 - done) / done;
    }
    return -1;
}

std::string rows_of_total(const ProgressSnapshot& s) {
    if (s.rows_total == 0) {
        return fmt::format("{} rows", s.processed);
    }
    return fmt::format("{}/{}{} rows", s.processed, s.rows_total_exact ? "" : "~", s.rows_total);
}

std::string breaker_text(const ProgressSnapshot& s) {
    return s.breaker.empty() ? "CLOSED" : s.breaker;
}

std::string pause_text(const ProgressSnapshot& s) {
    return fmt::format("paused by rate limit for {:.0f} s", std::ceil(s.paused_for_s));
}

}  // namespace

std::string format_progress_line(const ProgressSnapshot& s) {
    std::string line = fmt::format(
        "{:5.1f}% {} ({:.0f}/s) ok {} already {} errors {} retries {} breaker {} elapsed {} ETA "
        "{}",
        done_fraction(s) * 100.0, rows_of_total(s), s.rows_per_s, s.success, s.already_done,
        s.row_errors, s.retries, breaker_text(s), format_duration_short(s.elapsed_s),
        format_duration_short(eta_seconds(s)));
    if (s.paused_for_s > 0) {
        line += " | " + pause_text(s);
    }
    return line;
}

std::string format_progress_bar(const ProgressSnapshot& s, std::size_t width) {
    const std::size_t limit = width > 1 ? width - 1 : 0;
    const double done = done_fraction(s);
    // Figures from the most to the least important; dropped from the end when space runs out.
    std::vector<std::string> parts{
        fmt::format("{:5.1f}%", done * 100.0),
        rows_of_total(s),
        fmt::format("{:.0f}/s", s.rows_per_s),
        "ETA " + format_duration_short(eta_seconds(s)),
        fmt::format("ok {} err {}", s.success + s.already_done, s.row_errors),
        fmt::format("retries {}", s.retries),
        "breaker " + breaker_text(s),
    };
    if (s.paused_for_s > 0) {
        // The pause is what the operator must see: it goes right after the percentage.
        parts.insert(parts.begin() + 1, pause_text(s));
    }
    auto joined = [&](std::size_t count) {
        std::string text;
        for (std::size_t i = 0; i < count; ++i) {
            text += (i == 0 ? "" : " ") + parts[i];
        }
        return text;
    };
    std::size_t count = parts.size();
    constexpr std::size_t k_min_bar = 10;
    constexpr std::size_t k_max_bar = 40;
    while (count > 1 && joined(count).size() + k_min_bar + 3 > limit) {
        --count;
    }
    std::string text = joined(count);
    if (text.size() + k_min_bar + 3 > limit) {
        return text.substr(0, limit);
    }
    const std::size_t bar = std::min(k_max_bar, limit - text.size() - 3);
    const auto filled = static_cast<std::size_t>(std::floor(done * static_cast<double>(bar)));
    return "[" + std::string(filled, '#') + std::string(bar - filled, '.') + "] " + text;
}

std::size_t terminal_width(int fd) {
    winsize size{};
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return size.ws_col;
    }
    return 80;
}

ProgressPrinter::ProgressPrinter(std::ostream& out, Mode mode, Duration interval,
                                 std::function<std::size_t()> width)
    : m_out(out), m_mode(mode), m_interval(interval), m_width(std::move(width)) {}

void ProgressPrinter::tick(const ProgressSnapshot& s, MonoTime now, bool final) {
    if (m_mode == Mode::Never) {
        return;
    }
    if (!m_started) {
        m_started = true;
        m_first = now;
    }
    const Duration due = m_mode == Mode::Tty ? Duration(k_tty_redraw_s) : m_interval;
    if (!final) {
        const MonoTime since = m_printed ? m_last : m_first;
        // Off a TTY the first line comes one interval in; on a TTY the bar shows at once.
        if ((m_printed || m_mode == Mode::Lines) && now - since < due) {
            return;
        }
    }
    m_last = now;
    m_printed = true;
    if (m_mode == Mode::Tty) {
        m_out << "\r\x1b[2K" << format_progress_bar(s, m_width());
        if (final) {
            m_out << "\n";
        }
    } else {
        m_out << "progress: " << format_progress_line(s) << "\n";
    }
    m_out.flush();
}

}  // namespace wxbatch::report
