#pragma once
// Parsing of the Retry-After response header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.

#include <optional>
#include <string>
#include <string_view>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

struct RetryAfter {
    std::optional<Duration> delay;  // absent when the header is unusable (fall back to backoff)
    bool clamped = false;           // the value exceeded the cap and was reduced to it
    std::string problem;            // why the header was ignored, for a log line ("" when used)
};

// Parses `header` (surrounding whitespace allowed): digits only as seconds, or an HTTP-date in
// IMF-fixdate, RFC 850 or asctime form, relative to `now`. A date in the past gives 0. Anything
// else (empty, negative, fractional, "rand(30),add(30)", an impossible date) gives no delay and
// a problem text. A value above `cap` gives `cap` with clamped set; huge numbers do not overflow.
RetryAfter parse_retry_after(std::string_view header, WallTime now, Duration cap);

}  // namespace wxbatch::resilience
