#pragma once
// wxsim started as a child process on a loopback port picked by the kernel, for `wxbatch demo`.
// The destructor stops it (SIGTERM, then SIGKILL after a grace period) and reaps it, so the
// demo never leaves anything running.

#include <sys/types.h>

#include <string>
#include <vector>

namespace wxbatch::cli {

class SimulatorProcess {
public:
    // Starts `binary` with `args` plus --port 0 --port-file; throws UsageError when it does not
    // come up within a few seconds.
    SimulatorProcess(const std::string& binary, const std::vector<std::string>& args,
                     const std::string& work_dir);
    SimulatorProcess(const SimulatorProcess&) = delete;
    SimulatorProcess& operator=(const SimulatorProcess&) = delete;
    ~SimulatorProcess();

    int port() const { return m_port; }
    std::string base_url() const;

private:
    pid_t m_pid = -1;
    int m_port = 0;
};

// The directory of the running executable (to find wxsim beside wxbatch).
std::string executable_dir();

}  // namespace wxbatch::cli
