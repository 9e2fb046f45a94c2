#pragma once
// Small helpers for mixing fractional-second durations with integer clock time points:
// additions saturate far in the future instead of overflowing, and waits are cut in slices
// so that a stop request is seen promptly.

#include <algorithm>
#include <chrono>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::resilience {

// The longest slice a blocked worker sleeps before looking at its stop flag again.
inline constexpr Duration k_wait_slice{0.1};

// Longest duration ever added to a time point (about 100 years): keeps the arithmetic in range.
inline constexpr double k_max_offset_s = 100.0 * 365 * 24 * 3600;

// `t + d`, with `d` clamped to [0, k_max_offset_s].
inline MonoTime add_clamped(MonoTime t, Duration d) {
    const double s = std::clamp(d.count(), 0.0, k_max_offset_s);
    return t + std::chrono::round<MonoTime::duration>(Duration(s));
}

// `later - earlier` in seconds (negative when `later` is before `earlier`).
inline double seconds_between(MonoTime earlier, MonoTime later) {
    return std::chrono::duration_cast<Duration>(later - earlier).count();
}

}  // namespace wxbatch::resilience
