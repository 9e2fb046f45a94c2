#pragma once
// The simulator's configuration: every fault knob, settable from a JSON profile and from flags
// (flags override the profile; see app.cpp). All probabilities are in [0, 1].

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wxsim {

// How a 429's Retry-After header is written.
enum class RetryAfterFormat { Seconds, HttpDate, Malformed };

// From `after_s` seconds after start, the bucket refills at `rate` requests per second.
struct RateStep {
    double after_s = 0;
    double rate = 0;
};

// A token bucket over all API requests; rate 0 means unlimited.
struct RateLimitOptions {
    double rate = 0;
    double burst = 0;
    double retry_after_s = 1;
    RetryAfterFormat retry_after_format = RetryAfterFormat::Seconds;
    std::vector<RateStep> schedule;
};

// An injected status for requests whose method matches (`*` = any) and whose path starts with
// `path_prefix`, drawn with `probability`. A positive retry_after_s adds a Retry-After header.
struct FaultRule {
    std::string method = "*";
    std::string path_prefix;
    int status = 503;
    double probability = 0;
    double retry_after_s = 0;
};

// A window in which every API request gets 503: by time since start (start_s >= 0) or by the
// index of the API request (start_request >= 0, 1-based).
struct Outage {
    double start_s = -1;
    double duration_s = 0;
    std::int64_t start_request = -1;
    std::int64_t requests = 0;
};

// What an "applied, then failed" mutation answers.
enum class FailMode { BadGateway, Drop, Mixed };

struct Options {
    int port = 0;
    std::string port_file;
    // Accepted bearer tokens; empty accepts any non-empty bearer token.
    std::vector<std::string> tokens;
    std::uint64_t seed = 1;
    RateLimitOptions rate_limit;
    std::vector<FaultRule> faults;
    double latency_mean_ms = 0;
    double latency_jitter_ms = 0;
    double slow_probability = 0;
    double slow_delay_ms = 0;
    double drop_probability = 0;
    std::vector<Outage> outages;
    // From API request number revoke_after + 1 on, every request gets 401; 0 disables.
    std::int64_t revoke_after = 0;
    double applied_then_failed_probability = 0;
    FailMode applied_then_failed_mode = FailMode::BadGateway;
    double calling_data_quirk_probability = 0;
    std::size_t max_body_bytes = 1024 * 1024;
    int threads = 64;
    bool quiet = false;
    // The body of a /_sim/seed request, applied at start-up (null when none).
    nlohmann::json seed_data;
    // Monotonic seconds; empty means the steady clock. Tests inject a manual clock.
    std::function<double()> clock;
};

// Applies a JSON profile (schema in docs/wxsim.md) over `options`.
// Throws std::invalid_argument on a wrong type or value.
void apply_profile(const nlohmann::json& profile, Options& options);

// Reads a JSON file. Throws std::invalid_argument when it cannot be read or parsed.
nlohmann::json read_json_file(const std::string& path);

// Parses "seconds", "http-date" or "malformed". Throws std::invalid_argument otherwise.
RetryAfterFormat parse_retry_after_format(const std::string& text);

// Parses "502", "drop" or "mixed". Throws std::invalid_argument otherwise.
FailMode parse_fail_mode(const std::string& text);

}  // namespace wxsim
