#pragma once
// Integration test harness: a fresh temp directory per test, wxsim started as a real process
// on port 0 (its port read from --port-file), wxbatch run as a real process with its output
// captured, and small HTTP helpers for wxsim's control endpoints.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wxtest {

namespace fs = std::filesystem;

// A directory removed at the end of the test (kept when WXBATCH_KEEP_TEST_DIRS is set).
class TempDir {
public:
    TempDir();
    ~TempDir();
    const fs::path& path() const { return m_path; }
    fs::path operator/(const std::string& name) const { return m_path / name; }

private:
    fs::path m_path;
};

std::string read_file(const fs::path& path);
void write_file(const fs::path& path, const std::string& content);

// A running child process.
class Process {
public:
    Process() = default;
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    Process(Process&& other) noexcept;
    Process& operator=(Process&& other) noexcept;
    ~Process();

    // Starts `argv` with extra environment variables; stdout and stderr go to the given files.
    static Process start(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env,
                         const fs::path& stdout_path, const fs::path& stderr_path);
    void signal(int sig) const;
    // Waits for the exit; returns the exit code, or 128 + signal number when killed.
    int wait();
    bool running();
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    bool m_reaped = false;
    int m_status = 0;
};

// wxsim on a loopback port picked by the kernel; SIGTERM on destruction.
class Simulator {
public:
    Simulator(const TempDir& dir, const std::vector<std::string>& extra_args,
              const std::string& profile_json = "");
    ~Simulator();
    std::string base_url() const;  // http://127.0.0.1:PORT/v1
    int port() const { return m_port; }
    nlohmann::json get(const std::string& path) const;  // a control endpoint, e.g. /_sim/ledger
    nlohmann::json post(const std::string& path, const nlohmann::json& body) const;
    nlohmann::json ledger() const { return get("/_sim/ledger"); }
    nlohmann::json stats() const { return get("/_sim/stats"); }

private:
    Process m_process;
    int m_port = 0;
};

struct RunOutput {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs wxbatch with `args` and the token in WEBEX_ACCESS_TOKEN; waits at most `timeout`.
RunOutput run_wxbatch(const TempDir& dir, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {},
                      std::chrono::seconds timeout = std::chrono::seconds(300));
// Starts wxbatch without waiting (for kill tests).
Process start_wxbatch(const TempDir& dir, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {});

inline constexpr const char* k_token = "wxtest-token-7f3a9c";

}  // namespace wxtest
