#pragma once
// The run's performance profile (run_summary.json "performance", and "latency_ms"): for every
// endpoint ("POST /memberships") the requests sent, how many of them were retries, what they
// were answered (status or transport failure) and their latency percentiles; and the latency
// of every request. Constant memory: one fixed-size histogram and a few counters per endpoint
// label, and an action has a handful of endpoints.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "wxbatch/report/latency_histogram.hpp"
#include "wxbatch/report/run_summary.hpp"

namespace wxbatch::engine {

// One request as the profile counts it: its endpoint, its latency, what it was answered (an
// HTTP status such as "200" or "429", or a transport failure as webex::to_string names it:
// "timeout", "connection_dropped") and whether it resent a call.
struct RequestRecord {
    std::string_view endpoint;  // "" is counted as "other"
    double latency_ms = 0;
    std::string answer;
    bool retry = false;  // the second or later attempt of the same call
};

class EndpointStats {
  public:
    void record(const RequestRecord& request);
    // Sets the summary's latency percentiles (overall and per endpoint) and its per-endpoint
    // profile.
    void fill(report::RunSummary& summary) const;

  private:
    struct Endpoint {
        report::LatencyHistogram latency;
        std::uint64_t requests = 0;
        std::uint64_t retries = 0;
        std::map<std::string, std::uint64_t> answers;
    };

    mutable std::mutex m_mutex;
    report::LatencyHistogram m_overall;
    std::map<std::string, Endpoint, std::less<>> m_endpoints;
};

}  // namespace wxbatch::engine
