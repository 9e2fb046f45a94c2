#pragma once
// run_summary.json: what a run did, written at its end (and on every stop) for operators and
// tools (SPEC §3). Every number the run counted ends up here.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wxbatch/report/latency_histogram.hpp"
#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"
#include "wxbatch/util/file_system.hpp"

namespace wxbatch::report {

inline constexpr int k_run_summary_schema_version = 1;
inline constexpr const char* k_run_summary_file = "run_summary.json";

struct RunSummary {
    int schema_version = k_run_summary_schema_version;
    std::string run_id;
    std::string action;
    struct Input {
        std::string path;
        std::uint64_t size = 0;
        std::string sha256;
        std::vector<std::string> header;
    } input;
    std::string state;        // COMPLETED, COMPLETED_WITH_ROW_ERRORS, FAILED_SYSTEMIC, ...
    std::string reason;       // why, for FAILED_SYSTEMIC and ABORTED_BY_POLICY ("" otherwise)
    std::string started_at;   // ISO 8601 UTC
    std::string finished_at;  // ISO 8601 UTC
    double duration_s = 0;
    struct Totals {
        std::uint64_t read = 0;
        std::uint64_t processed = 0;
        std::uint64_t success = 0;
        std::uint64_t already_done = 0;
        std::uint64_t row_errors = 0;
        std::uint64_t systemic_errors = 0;
    } totals;
    struct Retries {
        std::uint64_t total = 0;
        std::map<std::string, std::uint64_t> by_cause;  // "429", "503", "timeout", ...
    } retries;
    struct RateLimitWaits {
        std::uint64_t count = 0;
        double seconds = 0;
    } rate_limit_waits;
    struct Breaker {
        std::uint64_t opens = 0;
        std::uint64_t half_opens = 0;
        std::uint64_t closes = 0;
        double seconds_open = 0;
    } breaker;
    // The client-side pacer: the rate it learned, its decreases and increases, paced waits.
    nlohmann::json rate_pacing = nlohmann::json::object();
    int resumes = 0;
    double throughput_rows_per_s = 0;  // processed / duration_s
    LatencyPercentiles latency;        // every request
    // The performance profile of the action, per endpoint ("POST /people"): requests, retries
    // among them, what they were answered, latency ("performance" in the document, and the
    // latencies again in "latency_ms").
    struct EndpointProfile {
        std::uint64_t requests = 0;
        std::uint64_t retries = 0;
        std::map<std::string, std::uint64_t> answers;  // "200", "429", "timeout", ...
        LatencyPercentiles latency;
    };
    std::map<std::string, EndpointProfile> endpoints;
    nlohmann::json configuration = nlohmann::json::object();  // effective, never the token
};

nlohmann::json to_json(const LatencyPercentiles& p);
nlohmann::json to_json(const RunSummary& summary);

// Writes `dir`/run_summary.json durably (temp + fsync + rename + fsync dir).
Expected<void, Error> write_run_summary(const std::string& dir, const RunSummary& summary,
                                        FileSystem& fs = real_fs());

// Reads `dir`/run_summary.json as a JSON document (for `wxbatch status`): nullopt when absent;
// a file that is not a JSON object is a Corrupt error naming it.
Expected<std::optional<nlohmann::json>, Error> load_run_summary(const std::string& dir);

}  // namespace wxbatch::report
