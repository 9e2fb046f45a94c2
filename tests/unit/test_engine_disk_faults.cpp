// The engine in-process, with a scripted Webex and a file system that fills up: the run stops
// with a clear message, the last checkpoint stays valid, and a resume on a healthy disk finishes
// with every row sent exactly once.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "support/scripted_transport.hpp"
#include "wxbatch/engine/runner.hpp"
#include "wxbatch/resilience/retry_policy.hpp"
#include "wxbatch/state/checkpoint.hpp"

namespace wxbatch::engine {
namespace {

namespace fs = std::filesystem;

class EngineDiskFaults : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("wxbatch-engine-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        std::ofstream csv(m_dir / "in.csv");
        csv << "roomId,personEmail\n";
        for (int i = 1; i <= k_rows; ++i) {
            csv << "R1,user" << i << "@example.com\n";
        }
        ::setenv("WEBEX_ACCESS_TOKEN", "engine-test-token", 1);
        m_transport.set_responder([](const webex::HttpRequest&) {
            webex::HttpResponse r;
            r.status = 200;
            r.body = R"({"id":"X"})";
            return Expected<webex::HttpResponse, webex::TransportError>(r);
        });
    }
    void TearDown() override { fs::remove_all(m_dir); }

    RunOptions options(bool resume) const {
        RunOptions o;
        o.input = (m_dir / "in.csv").string();
        o.action = "memberships.create";
        o.out_dir = (m_dir / "out").string();
        o.base_url = "http://127.0.0.1:9/v1";
        o.batch_size = 10;
        o.resume = resume;
        o.progress = "never";
        o.resilience.retry = resilience::retry_profile("normal");
        return o;
    }

    RunResult run(bool resume, FileSystem& file_system) {
        RunEnvironment env{m_clock, m_sleeper, m_random,
                           [this] { return std::make_unique<Forwarder>(m_transport); },
                           m_out, m_err, false, false, &file_system};
        return run_job(options(resume), env);
    }

    // Counts the POSTs per e-mail address the scripted Webex received.
    std::map<std::string, int> posts_by_email() const {
        std::map<std::string, int> counts;
        for (const auto& req : m_transport.requests()) {
            if (req.method == webex::HttpMethod::Post) {
                const auto body = nlohmann::json::parse(req.body);
                ++counts[body["personEmail"].get<std::string>()];
            }
        }
        return counts;
    }

    // One scripted transport shared by every worker.
    struct Forwarder final : webex::HttpTransport {
        explicit Forwarder(test::ScriptedTransport& t) : target(t) {}
        Expected<webex::HttpResponse, webex::TransportError> perform(
            const webex::HttpRequest& r) override {
            return target.perform(r);
        }
        test::ScriptedTransport& target;
    };

    static constexpr int k_rows = 95;
    fs::path m_dir;
    SystemClock m_clock;
    SystemSleeper m_sleeper;
    SeededRandom m_random{1};
    test::ScriptedTransport m_transport;
    std::ostringstream m_out;
    std::ostringstream m_err;
};

TEST_F(EngineDiskFaults, FullDiskStopsCleanlyAndResumeFinishesExactlyOnce) {
    FaultInjectingFileSystem full;
    // The disk fills up after a few batches: every write from the 60th on fails.
    full.fail_from(FsOp::Write, 60, ENOSPC);
    const RunResult failed = run(false, full);
    EXPECT_EQ(failed.state, RunState::FailedSystemic);
    EXPECT_NE(failed.reason.find("No space left on device"), std::string::npos) << failed.reason;

    // The checkpoint on disk is the last one written whole, and it says where to resume.
    auto cp = state::load_checkpoint((m_dir / "out").string());
    ASSERT_TRUE(cp.has_value()) << cp.error().message;
    ASSERT_TRUE(cp->has_value());
    EXPECT_EQ((*cp)->state, "RUNNING");
    EXPECT_GE((*cp)->last_confirmed_batch, 0);
    EXPECT_LT((*cp)->counters.processed, static_cast<std::uint64_t>(k_rows));

    const RunResult resumed = run(true, real_fs());
    EXPECT_EQ(resumed.state, RunState::Completed) << resumed.reason << m_err.str();
    const auto counts = posts_by_email();
    EXPECT_EQ(counts.size(), static_cast<std::size_t>(k_rows));
    for (const auto& [email, n] : counts) {
        EXPECT_EQ(n, 1) << email;
    }
}

TEST_F(EngineDiskFaults, UnwritableCheckpointAtStartIsAnInitializationError) {
    FaultInjectingFileSystem broken;
    broken.fail_from(FsOp::Rename, 1, EIO);
    EXPECT_THROW(run(false, broken), UsageError);
    EXPECT_EQ(m_transport.request_count(), 1u);  // only the token check was sent
}

}  // namespace
}  // namespace wxbatch::engine
