#pragma once
// Fault decisions for API requests: token revocation, outages, rate limit, injected statuses,
// latency, slow and dropped responses, and the flags that mutation routes act on after applying
// (applied-then-failed, calling-data quirk). Every request draws the same number of values from
// one generator seeded with Options::seed, in arrival order, so the same seed and the same
// request sequence give the same faults. Thread-safe.

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "wxsim/options.hpp"
#include "wxsim/token_bucket.hpp"

namespace wxsim {

// What a mutation route does after it applied the change.
enum class AfterApply { Answer, BadGateway, Drop };

struct Decision {
    // 1-based index of this API request since start (or the last reset).
    std::int64_t request_number = 0;
    // 0: pass to the routes; otherwise answer this status at once.
    int status = 0;
    std::string message;
    // Retry-After header value when not empty.
    std::string retry_after;
    // Delay before answering (latency and slow responses), in milliseconds.
    double delay_ms = 0;
    // Close the connection without answering (after the delay).
    bool drop = false;
    AfterApply after_apply = AfterApply::Answer;
    bool calling_data_quirk = false;
};

class FaultEngine {
  public:
    explicit FaultEngine(const Options& options);

    // Decides the fate of one API request. `authorized` says whether its token is accepted;
    // `now` is seconds since start.
    Decision decide(const std::string& method, const std::string& path, bool authorized,
                    double now);

    // Forgets the request count, refills the bucket and reseeds the generator.
    void reset(double now);

  private:
    double draw();
    std::string retry_after_value(double seconds) const;
    bool in_outage(std::int64_t request_number, double now) const;
    void apply_rules(const std::string& method, const std::string& path, Decision& decision);
    void apply_delays(Decision& decision);

    Options m_options;
    std::mutex m_mutex;
    std::mt19937_64 m_random;
    TokenBucket m_bucket;
    std::int64_t m_requests = 0;
};

}  // namespace wxsim
