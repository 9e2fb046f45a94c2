#include "wxbatch/cli/simulator_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

namespace fs = std::filesystem;

std::string executable_dir() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : self.parent_path().string();
}

SimulatorProcess::SimulatorProcess(const std::string& binary, const std::vector<std::string>& args,
                                   const std::string& work_dir) {
    if (!fs::exists(binary)) {
        throw UsageError("the simulator was not found at " + binary +
                         " (build it with `make`: it lands beside wxbatch in build/bin/)");
    }
    const std::string port_file = (fs::path(work_dir) / "wxsim.port").string();
    const std::string log_file = (fs::path(work_dir) / "wxsim.log").string();
    fs::remove(port_file);
    std::vector<std::string> argv{binary, "--port", "0", "--port-file", port_file};
    argv.insert(argv.end(), args.begin(), args.end());

    m_pid = ::fork();
    if (m_pid < 0) {
        throw UsageError("cannot start the simulator: fork failed");
    }
    if (m_pid == 0) {
        const int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int null_in = ::open("/dev/null", O_RDONLY);
        ::dup2(null_in, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        std::vector<char*> cargs;
        for (auto& a : argv) {
            cargs.push_back(a.data());
        }
        cargs.push_back(nullptr);
        ::execv(cargs[0], cargs.data());
        ::_exit(127);
    }
    for (int i = 0; i < 500; ++i) {
        std::ifstream in(port_file);
        if (in >> m_port && m_port > 0) {
            return;
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            throw UsageError("the simulator exited at start-up; see " + log_file);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
    throw UsageError("the simulator did not come up; see " + log_file);
}

SimulatorProcess::~SimulatorProcess() {
    if (m_pid <= 0) {
        return;
    }
    ::kill(m_pid, SIGTERM);
    for (int i = 0; i < 300; ++i) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
}

std::string SimulatorProcess::base_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/v1";
}

}  // namespace wxbatch::cli
