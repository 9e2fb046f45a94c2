// The real wxsim binary: --port 0 --port-file, the listening line, flags over a profile,
// and a clean exit on SIGTERM.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

namespace fs = std::filesystem;

// A wxsim child process with its stdout in a file, killed at the end if still running.
class WxsimProcess {
  public:
    WxsimProcess(const fs::path& dir, std::vector<std::string> args) : m_dir(dir) {
        m_pid = fork();
        if (m_pid == 0) {
            const int out = open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            dup2(out, STDOUT_FILENO);
            static char binary[] = WXSIM_BINARY;
            std::vector<char*> argv{binary};
            for (auto& arg : args) {
                argv.push_back(arg.data());
            }
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
    }
    ~WxsimProcess() {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
    }

    // The port from the port file, waiting up to 5 s for it; 0 when it never appears.
    int wait_for_port() const {
        const fs::path file = m_dir / "port";
        for (int i = 0; i < 500; ++i) {
            std::ifstream in(file);
            int port = 0;
            if (in >> port && port > 0) {
                return port;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return 0;
    }

    // Sends `signal` and returns the exit status (-1 when it did not exit normally).
    int stop(int signal) {
        kill(m_pid, signal);
        int status = 0;
        waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    // Waits for the process to exit by itself and returns its exit status.
    int wait() {
        int status = 0;
        waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

  private:
    fs::path m_dir;
    pid_t m_pid = -1;
};

class BinaryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("wxsim_binary_test_" + std::to_string(getpid()) + "_" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string read(const std::string& name) const {
        std::ifstream in(m_dir / name);
        std::string text;
        for (std::string line; std::getline(in, line);) {
            text += line + "\n";
        }
        return text;
    }
    fs::path m_dir;
};

TEST_F(BinaryTest, ServesOnPortZeroAndStopsCleanlyOnSigterm) {
    WxsimProcess sim(m_dir, {"--port", "0", "--port-file", (m_dir / "port").string(), "--token",
                             "tok", "--quiet"});
    const int port = sim.wait_for_port();
    ASSERT_GT(port, 0);
    SimClient client("http://127.0.0.1:" + std::to_string(port), "tok");
    EXPECT_EQ(client.get("/v1/people/me").status, 200);
    EXPECT_EQ(sim.stop(SIGTERM), 0);
    EXPECT_EQ(read("stdout"), "wxsim listening on http://127.0.0.1:" + std::to_string(port) + "\n");
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(m_dir)) {
        files.push_back(entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    EXPECT_EQ(files, (std::vector<std::string>{"port", "stdout"}));
}

TEST_F(BinaryTest, FlagsOverrideTheProfileAndSeedFileIsLoaded) {
    std::ofstream(m_dir / "profile.json") << R"({"revoke_token_after": 1, "tokens": ["p"]})";
    std::ofstream(m_dir / "seed.json") << R"({"rooms": [{"id": "ROOM_A", "title": "A"}]})";
    WxsimProcess sim(m_dir, {"--port-file", (m_dir / "port").string(), "--profile",
                             (m_dir / "profile.json").string(), "--seed-file",
                             (m_dir / "seed.json").string(), "--revoke-after", "2"});
    const int port = sim.wait_for_port();
    ASSERT_GT(port, 0);
    SimClient client("http://127.0.0.1:" + std::to_string(port), "p");
    EXPECT_EQ(client.get("/v1/rooms/ROOM_A").status, 200);
    EXPECT_EQ(client.get("/v1/rooms/ROOM_A").status, 200);
    EXPECT_EQ(client.get("/v1/rooms/ROOM_A").status, 401);
    EXPECT_EQ(sim.stop(SIGINT), 0);
}

TEST_F(BinaryTest, BadProfileExitsWith2) {
    std::ofstream(m_dir / "profile.json") << R"({"rate_limit": {"retry_after_format": "never"}})";
    WxsimProcess sim(m_dir, {"--profile", (m_dir / "profile.json").string()});
    EXPECT_EQ(sim.wait(), 2);
}

}  // namespace
}  // namespace wxsim::test
