// `wxbatch demo`: the README's first command. Starts wxsim on loopback with realistic faults
// (a rate limit, a few % of 5xx, applied-then-failed answers, a short outage that trips the
// breaker), generates a people.create CSV with some bad rows, runs it end to end with live
// progress, prints the summary and the paths of the reports, and stops the simulator.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include <unistd.h>

#include <fmt/format.h>

#include "wxbatch/cli/commands.hpp"
#include "wxbatch/cli/simulator_process.hpp"
#include "wxbatch/engine/runner.hpp"
#include "wxbatch/util/error.hpp"
#include "wxbatch/webex/curl_transport.hpp"

namespace wxbatch::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_demo_token = "demo-token-not-a-secret";

// The simulator's profile: 300 requests/s admitted (a bucket of one second, so Retry-After
// pauses cost little), 2% 503 and 1% 500 on creates, 0.5% applied-then-failed, 10 ms latency,
// a 4-second outage 12 s in. The client runs faster than 300/s on two cores, so the rate
// limit is met; without client-side pacing a run still takes about rows / 300 seconds.
constexpr const char* k_demo_profile = R"({
  "seed": 2026,
  "rate_limit": {"rate": 300, "burst": 300, "retry_after_s": 1},
  "faults": [{"method": "POST", "path": "/v1/people", "status": 503, "probability": 0.02},
             {"method": "POST", "path": "/v1/people", "status": 500, "probability": 0.01}],
  "latency": {"mean_ms": 10, "jitter_ms": 5},
  "outages": [{"start_s": 12, "duration_s": 4}],
  "applied_then_failed": {"probability": 0.005, "mode": "mixed"}
})";

// email,displayName,firstName,lastName; about 1 row in 200 has a malformed email and a few
// repeat an earlier person (answered 409: already done).
void write_demo_csv(const fs::path& path, std::uint64_t rows) {
    std::ofstream out(path, std::ios::trunc);
    out << "email,displayName,firstName,lastName\n";
    for (std::uint64_t i = 1; i <= rows; ++i) {
        if (i % 200 == 0) {
            out << "user" << i << "_at_example.com,User " << i << ",User," << i << "\n";
        } else if (i % 997 == 0) {
            out << "user" << (i - 1) << "@example.com,User " << (i - 1) << ",User," << (i - 1)
                << "\n";
        } else {
            out << "user" << i << "@example.com,User " << i << ",User," << i << "\n";
        }
    }
    if (!out) {
        throw UsageError("cannot write the demo CSV at " + path.string());
    }
}

}  // namespace

int demo_command(std::uint64_t rows, const std::string& out_dir, const SettingFlags& flags) {
    if (rows == 0 || rows > 5'000'000) {
        throw UsageError("--rows must be between 1 and 5000000");
    }
    configure_logging(flags);
    fs::create_directories(out_dir);
    for (const char* name :
         {"checkpoint.json", "run_summary.json", "row_errors.csv", "journal.wxj"}) {
        fs::remove(fs::path(out_dir) / name);
    }
    const fs::path csv = fs::path(out_dir) / "demo-people.csv";
    const fs::path profile = fs::path(out_dir) / "wxsim-profile.json";
    write_demo_csv(csv, rows);
    std::ofstream(profile, std::ios::trunc) << k_demo_profile;

    std::cout << fmt::format("demo: {} rows of people.create against a local Webex simulator\n",
                             rows);
    std::cout << "demo: the simulator admits 300 requests/s (429 beyond), fails ~3% of them, "
                 "and goes down for 4 s after 12 s\n";
    SimulatorProcess sim(executable_dir() + "/wxsim",
                         {"--token", k_demo_token, "--profile", profile.string(), "--quiet"},
                         out_dir);
    ::setenv("WEBEX_ACCESS_TOKEN", k_demo_token, 1);

    engine::RunOptions options;
    options.input = csv.string();
    options.action = "people.create";
    options.out_dir = out_dir;
    options.base_url = sim.base_url();
    options.max_inflight_batches = 12;
    options.batch_size = 100;
    options.resilience.retry = resilience::retry_profile("normal");
    options.resilience.breaker.open_s = 2;
    options.resilience.request_timeout_s = 10;
    options.progress_interval_s = flags.progress_interval.value_or(5.0);
    options.progress = flags.progress.value_or("auto");
    options.quiet = flags.quiet;
    options.verbosity = flags.verbose;

    SystemClock clock;
    SystemSleeper sleeper;
    SeededRandom random(std::random_device{}());
    engine::RunEnvironment env{
        clock,
        sleeper,
        random,
        [] { return std::make_unique<webex::CurlTransport>(webex::CurlTransportOptions{}); },
        std::cout,
        std::cerr,
        true,
        ::isatty(STDERR_FILENO) == 1,
    };
    const engine::RunResult result = engine::run_job(options, env);
    std::cout << "demo: the input was " << csv.string() << "; try `wxbatch status --out " << out_dir
              << "`\n";
    if (engine::is_resumable(result.state)) {
        // The printed resume command needs this simulator, which stops with the demo.
        std::cout << "demo: the simulator stops with the demo, so this run cannot be resumed; "
                     "`wxbatch demo` starts over\n";
    }
    // Row errors are part of the demo (the CSV has bad rows on purpose): that outcome is a success.
    const int code = engine::exit_code_for(result.state);
    return code == 3 ? 0 : code;
}

}  // namespace wxbatch::cli
