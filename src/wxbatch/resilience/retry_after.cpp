#include "wxbatch/resilience/retry_after.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <utility>

namespace wxbatch::resilience {

namespace {

using std::chrono::sys_seconds;

constexpr std::array<std::string_view, 12> k_months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> k_days = {"Mon", "Tue", "Wed", "Thu",
                                                    "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> k_long_days = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// A tiny cursor over the header text for the fixed-layout date formats.
class Cursor {
  public:
    explicit Cursor(std::string_view text) : m_text(text) {}

    bool literal(std::string_view expected) {
        if (m_text.substr(0, expected.size()) != expected) {
            return false;
        }
        m_text.remove_prefix(expected.size());
        return true;
    }
    // Exactly `count` digits.
    bool digits(std::size_t count, int& out) {
        if (m_text.size() < count) {
            return false;
        }
        out = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (!is_digit(m_text[i])) {
                return false;
            }
            out = out * 10 + (m_text[i] - '0');
        }
        m_text.remove_prefix(count);
        return true;
    }
    template <std::size_t N>
    bool one_of(const std::array<std::string_view, N>& names, int& index) {
        for (std::size_t i = 0; i < N; ++i) {
            if (literal(names[i])) {
                index = static_cast<int>(i);
                return true;
            }
        }
        return false;
    }
    bool time_of_day(int& h, int& m, int& s) {
        return digits(2, h) && literal(":") && digits(2, m) && literal(":") && digits(2, s);
    }
    bool at_end() const { return m_text.empty(); }

  private:
    std::string_view m_text;
};

struct DateParts {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// "Sun, 06 Nov 1994 08:49:37 GMT"
bool parse_imf(std::string_view text, DateParts& p) {
    Cursor c(text);
    int weekday = 0;
    return c.one_of(k_days, weekday) && c.literal(", ") && c.digits(2, p.day) && c.literal(" ") &&
           c.one_of(k_months, p.month) && c.literal(" ") && c.digits(4, p.year) && c.literal(" ") &&
           c.time_of_day(p.hour, p.minute, p.second) && c.literal(" GMT") && c.at_end();
}

// "Sunday, 06-Nov-94 08:49:37 GMT" (year resolved later against the current date).
bool parse_rfc850(std::string_view text, DateParts& p) {
    Cursor c(text);
    int weekday = 0;
    return c.one_of(k_long_days, weekday) && c.literal(", ") && c.digits(2, p.day) &&
           c.literal("-") && c.one_of(k_months, p.month) && c.literal("-") && c.digits(2, p.year) &&
           c.literal(" ") && c.time_of_day(p.hour, p.minute, p.second) && c.literal(" GMT") &&
           c.at_end();
}

// "Sun Nov  6 08:49:37 1994" (day padded with a space, or two digits).
bool parse_asctime(std::string_view text, DateParts& p) {
    Cursor c(text);
    int weekday = 0;
    if (!(c.one_of(k_days, weekday) && c.literal(" ") && c.one_of(k_months, p.month) &&
          c.literal(" "))) {
        return false;
    }
    if (!(c.literal(" ") ? c.digits(1, p.day) : c.digits(2, p.day))) {
        return false;
    }
    return c.literal(" ") && c.time_of_day(p.hour, p.minute, p.second) && c.literal(" ") &&
           c.digits(4, p.year) && c.at_end();
}

std::optional<sys_seconds> to_time(const DateParts& p) {
    using namespace std::chrono;
    const year_month_day ymd{year{p.year}, month{static_cast<unsigned>(p.month + 1)},
                             day{static_cast<unsigned>(p.day)}};
    if (!ymd.ok() || p.hour > 23 || p.minute > 59 || p.second > 60) {
        return std::nullopt;
    }
    return sys_days{ymd} + hours{p.hour} + minutes{p.minute} + seconds{p.second};
}

// RFC 9110: a two-digit year that would be more than 50 years in the future is in the past.
int resolve_two_digit_year(int yy, WallTime now) {
    using namespace std::chrono;
    const int current = static_cast<int>(year_month_day{floor<days>(now)}.year());
    int full = current - current % 100 + yy;
    if (full > current + 50) {
        full -= 100;
    }
    return full;
}

std::optional<sys_seconds> parse_http_date(std::string_view text, WallTime now) {
    DateParts p;
    if (parse_imf(text, p) || parse_asctime(text, p)) {
        return to_time(p);
    }
    if (parse_rfc850(text, p)) {
        p.year = resolve_two_digit_year(p.year, now);
        return to_time(p);
    }
    return std::nullopt;
}

RetryAfter with_cap(double seconds, Duration cap) {
    RetryAfter r;
    if (seconds > cap.count()) {
        r.delay = cap;
        r.clamped = true;
    } else {
        r.delay = Duration(seconds);
    }
    return r;
}

RetryAfter rejected(std::string problem) {
    RetryAfter r;
    r.problem = std::move(problem);
    return r;
}

// Digits only; saturates instead of overflowing (the cap applies afterwards).
double parse_delay_seconds(std::string_view digits) {
    constexpr std::uint64_t k_saturate = 1'000'000'000'000ULL;
    std::uint64_t value = 0;
    for (char ch : digits) {
        value = value * 10 + static_cast<std::uint64_t>(ch - '0');
        if (value > k_saturate) {
            return static_cast<double>(k_saturate);
        }
    }
    return static_cast<double>(value);
}

}  // namespace

RetryAfter parse_retry_after(std::string_view header, WallTime now, Duration cap) {
    const std::string_view text = trim(header);
    if (text.empty()) {
        return rejected("empty Retry-After header");
    }
    bool all_digits = true;
    for (char ch : text) {
        all_digits = all_digits && is_digit(ch);
    }
    if (all_digits) {
        return with_cap(parse_delay_seconds(text), cap);
    }
    const auto when = parse_http_date(text, now);
    if (!when) {
        return rejected("malformed Retry-After header '" + std::string(text.substr(0, 64)) +
                        "': neither delay-seconds nor an HTTP-date");
    }
    // In fractional seconds: nanosecond time points overflow past the year 2262.
    using DoubleTime = std::chrono::time_point<std::chrono::system_clock, Duration>;
    const Duration ahead = DoubleTime(*when) - DoubleTime(now);
    return with_cap(ahead.count() > 0 ? ahead.count() : 0.0, cap);
}

}  // namespace wxbatch::resilience
