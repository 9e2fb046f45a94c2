#pragma once
// Why and whether the run is stopping. Set from signal handlers (async-signal-safe path: an
// atomic flag and a signal number), from workers on systemic failures, and from the error-rate
// policy. The first reason wins; later ones are ignored.

#include <atomic>
#include <mutex>
#include <string>

namespace wxbatch::engine {

enum class StopCause { None, Signal, Systemic, ErrorRatePolicy };

class StopControl {
public:
    // Requests a stop; the first request's cause and reason are kept.
    void request(StopCause cause, std::string reason);
    bool stopping() const { return m_flag.load(std::memory_order_acquire); }
    const std::atomic<bool>& flag() const { return m_flag; }
    // Async-signal-safe: only sets the flag (the reason comes later from poll_signals()).
    void raise_flag() noexcept { m_flag.store(true, std::memory_order_release); }
    StopCause cause() const;
    std::string reason() const;

    // Installs SIGINT/SIGTERM handlers that request a stop on this object; a second SIGINT or
    // SIGTERM exits the process at once (exit 5; the journal and checkpoint stay resumable).
    void install_signal_handlers();
    // Called by the run loop to turn a signal noticed by the handler into a reason.
    void poll_signals();

private:
    std::atomic<bool> m_flag{false};
    mutable std::mutex m_mutex;
    StopCause m_cause = StopCause::None;
    std::string m_reason;
};

}  // namespace wxbatch::engine
