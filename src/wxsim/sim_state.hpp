#pragma once
// Everything one running simulator owns: options, clock origin, store, ledger, stats and the
// fault engine, plus interruptible pauses (so stop() never waits for a slow response). Thread-safe.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>

#include "wxsim/faults.hpp"
#include "wxsim/ledger.hpp"
#include "wxsim/options.hpp"
#include "wxsim/stats.hpp"
#include "wxsim/store.hpp"

namespace wxsim {

class SimState {
  public:
    explicit SimState(Options options);

    const Options& options() const { return m_options; }
    Ledger& ledger() { return m_ledger; }
    Stats& stats() { return m_stats; }
    Store& store() { return m_store; }
    FaultEngine& faults() { return m_faults; }

    // Seconds since start (or the last reset), from the injected clock.
    double now() const;

    // Clears the store, ledger, stats and fault counters, and restarts the clock origin.
    void reset();

    // Waits `ms` milliseconds unless the simulator is stopping; false when interrupted.
    bool pause_ms(double ms);

    // Ends every pause in progress and makes later ones return at once.
    void stop_pauses();

    // A tracking id for a request that brought none: WXSIM_<n>.
    std::string next_tracking_id();

    // True when `authorization` is "Bearer <token>" with an accepted token.
    bool token_accepted(const std::string& authorization) const;

    // The port the server is bound to (for Link headers).
    int port() const { return m_port.load(); }
    void set_port(int port) { m_port.store(port); }

  private:
    double clock_seconds() const;

    Options m_options;
    Ledger m_ledger;
    Stats m_stats;
    Store m_store;
    FaultEngine m_faults;
    std::atomic<double> m_origin{0};
    std::atomic<int> m_port{0};
    std::atomic<long long> m_tracking{0};
    std::mutex m_pause_mutex;
    std::condition_variable m_pause_cv;
    bool m_stopping = false;
};

}  // namespace wxsim
