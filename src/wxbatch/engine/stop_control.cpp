#include "wxbatch/engine/stop_control.hpp"

#include <csignal>
#include <cstring>

#include <unistd.h>

namespace wxbatch::engine {

namespace {
std::atomic<StopControl*> g_target{nullptr};
std::atomic<int> g_signal{0};
std::atomic<int> g_count{0};

extern "C" void on_stop_signal(int sig) {
    if (g_count.fetch_add(1) >= 1) {
        static const char k_msg[] = "\nwxbatch: second signal, exiting now (resumable with --resume)\n";
        [[maybe_unused]] auto n = ::write(STDERR_FILENO, k_msg, sizeof k_msg - 1);
        ::_exit(5);
    }
    g_signal.store(sig);
    if (StopControl* target = g_target.load()) {
        target->raise_flag();
    }
}
}  // namespace

void StopControl::request(StopCause cause, std::string reason) {
    {
        std::lock_guard lock(m_mutex);
        if (m_cause == StopCause::None) {
            m_cause = cause;
            m_reason = std::move(reason);
        }
    }
    m_flag.store(true, std::memory_order_release);
}

StopCause StopControl::cause() const {
    std::lock_guard lock(m_mutex);
    return m_cause;
}

std::string StopControl::reason() const {
    std::lock_guard lock(m_mutex);
    return m_reason;
}

void StopControl::install_signal_handlers() {
    g_target.store(this);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

void StopControl::poll_signals() {
    int sig = g_signal.load();
    if (sig != 0) {
        request(StopCause::Signal, std::string("interrupted by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                                       " (operator)");
    }
}

}  // namespace wxbatch::engine
