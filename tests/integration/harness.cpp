#include "integration/harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "wxbatch/webex/curl_transport.hpp"

namespace wxtest {

TempDir::TempDir() {
    std::random_device rd;
    m_path = fs::temp_directory_path() / ("wxbatch-it-" + std::to_string(::getpid()) + "-" +
                                          std::to_string(rd()));
    fs::create_directories(m_path);
}

TempDir::~TempDir() {
    if (std::getenv("WXBATCH_KEEP_TEST_DIRS") == nullptr) {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

Process::Process(Process&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)), m_reaped(other.m_reaped), m_status(other.m_status) {}

Process& Process::operator=(Process&& other) noexcept {
    if (this != &other) {
        m_pid = std::exchange(other.m_pid, -1);
        m_reaped = other.m_reaped;
        m_status = other.m_status;
    }
    return *this;
}

Process::~Process() {
    if (m_pid > 0 && !m_reaped) {
        ::kill(m_pid, SIGKILL);
        wait();
    }
}

Process Process::start(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env, const fs::path& stdout_path,
                       const fs::path& stderr_path) {
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        for (const auto& [k, v] : env) {
            ::setenv(k.c_str(), v.c_str(), 1);
        }
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    Process p;
    p.m_pid = pid;
    return p;
}

void Process::signal(int sig) const {
    if (m_pid > 0 && !m_reaped) {
        ::kill(m_pid, sig);
    }
}

int Process::wait() {
    if (!m_reaped) {
        while (::waitpid(m_pid, &m_status, 0) < 0 && errno == EINTR) {
        }
        m_reaped = true;
    }
    if (WIFEXITED(m_status)) {
        return WEXITSTATUS(m_status);
    }
    return 128 + WTERMSIG(m_status);
}

bool Process::running() {
    if (m_reaped) {
        return false;
    }
    const pid_t r = ::waitpid(m_pid, &m_status, WNOHANG);
    if (r == m_pid) {
        m_reaped = true;
        return false;
    }
    return true;
}

Simulator::Simulator(const TempDir& dir, const std::vector<std::string>& extra_args,
                     const std::string& profile_json) {
    const fs::path port_file = dir / "wxsim.port";
    std::vector<std::string> argv{WXSIM_BINARY, "--port", "0", "--port-file", port_file.string(),
                                  "--token", k_token, "--quiet"};
    if (!profile_json.empty()) {
        write_file(dir / "profile.json", profile_json);
        argv.push_back("--profile");
        argv.push_back((dir / "profile.json").string());
    }
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    m_process = Process::start(argv, {}, dir / "wxsim.out", dir / "wxsim.err");
    for (int i = 0; i < 1000 && m_port == 0; ++i) {
        if (fs::exists(port_file)) {
            m_port = std::stoi(read_file(port_file));
            break;
        }
        if (!m_process.running()) {
            throw std::runtime_error("wxsim exited: " + read_file(dir / "wxsim.err"));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (m_port == 0) {
        throw std::runtime_error("wxsim did not report its port");
    }
}

Simulator::~Simulator() {
    m_process.signal(SIGTERM);
    m_process.wait();
}

std::string Simulator::base_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/v1";
}

namespace {
nlohmann::json exchange(int port, wxbatch::webex::HttpMethod method, const std::string& path,
                        const std::string& body) {
    wxbatch::webex::CurlTransport transport{wxbatch::webex::CurlTransportOptions{}};
    wxbatch::webex::HttpRequest req;
    req.method = method;
    req.url = "http://127.0.0.1:" + std::to_string(port) + path;
    req.body = body;
    if (!body.empty()) {
        req.headers.add("Content-Type", "application/json");
    }
    auto r = transport.perform(req);
    if (!r || r->status / 100 != 2) {
        throw std::runtime_error("wxsim control request failed: " + path);
    }
    return r->body.empty() ? nlohmann::json() : nlohmann::json::parse(r->body);
}
}  // namespace

nlohmann::json Simulator::get(const std::string& path) const {
    return exchange(m_port, wxbatch::webex::HttpMethod::Get, path, "");
}

nlohmann::json Simulator::post(const std::string& path, const nlohmann::json& body) const {
    return exchange(m_port, wxbatch::webex::HttpMethod::Post, path, body.dump());
}

Process start_wxbatch(const TempDir& dir, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env) {
    std::vector<std::string> argv{WXBATCH_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::map<std::string, std::string> full_env{{"WEBEX_ACCESS_TOKEN", k_token}};
    for (const auto& [k, v] : env) {
        full_env[k] = v;
    }
    return Process::start(argv, full_env, dir / "wxbatch.out", dir / "wxbatch.err");
}

RunOutput run_wxbatch(const TempDir& dir, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, std::chrono::seconds timeout) {
    Process p = start_wxbatch(dir, args, env);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (p.running()) {
        if (std::chrono::steady_clock::now() > deadline) {
            p.signal(SIGKILL);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    RunOutput out;
    out.exit_code = p.wait();
    out.out = read_file(dir / "wxbatch.out");
    out.err = read_file(dir / "wxbatch.err");
    return out;
}

}  // namespace wxtest
