#pragma once
// A token bucket: `burst` tokens at most, refilled at a rate that may change on a schedule.
// Not thread-safe: FaultEngine serialises calls. Time is an argument (seconds since start).

#include <optional>

#include "wxsim/options.hpp"

namespace wxsim {

class TokenBucket {
  public:
    explicit TokenBucket(RateLimitOptions options);

    // Takes one token at `now`. Returns nothing when admitted, else the seconds until the next
    // token. A rate of 0 admits everything.
    std::optional<double> take(double now);

    // The refill rate in effect at `now`.
    double rate_at(double now) const;

    // Refills the bucket completely as of `now`.
    void reset(double now);

  private:
    RateLimitOptions m_options;
    double m_tokens;
    double m_last = 0;
};

}  // namespace wxsim
