#pragma once
// The engine's implementation of webex::ApiCaller: each call goes through the resilience core
// (rate governor, circuit breaker, retry with Retry-After, classifier) over one worker's
// HttpTransport, and systemic conditions (a 401 that persists after a re-check, 403 on many
// rows, TLS failures) stop the run through StopControl.

#include <cstdint>

#include "wxbatch/engine/endpoint_stats.hpp"
#include "wxbatch/engine/stop_control.hpp"
#include "wxbatch/resilience/concurrency_limit.hpp"
#include "wxbatch/resilience/resilient_executor.hpp"
#include "wxbatch/util/clock.hpp"
#include "wxbatch/webex/api.hpp"
#include "wxbatch/webex/client.hpp"
#include "wxbatch/webex/http.hpp"

namespace wxbatch::engine {

// What one worker shares with every row it executes.
struct WorkerServices {
    const webex::WebexClient& client;
    webex::HttpTransport& transport;
    resilience::ResilientExecutor& executor;
    StopControl& stop;
    EndpointStats& endpoint_stats;
    const Clock& clock;
    int max_attempts;
    // Fed with each request's latency (adapts the number of requests in flight); may be null.
    resilience::ConcurrencyLimit* concurrency = nullptr;
};

class RowApiCaller final : public webex::ApiCaller {
public:
    RowApiCaller(WorkerServices& services, std::uint64_t row) : m_services(services), m_row(row) {}

    webex::ApiResult call(const webex::ApiRequest& request) override;
    int attempts() const override { return m_attempts; }
    int max_attempts() const override { return m_services.max_attempts; }

private:
    WorkerServices& m_services;
    std::uint64_t m_row;
    int m_attempts = 0;
};

}  // namespace wxbatch::engine
