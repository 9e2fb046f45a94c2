#include <iostream>
#include <random>

#include <unistd.h>

#include "wxbatch/cli/commands.hpp"
#include "wxbatch/engine/runner.hpp"
#include "wxbatch/report/log.hpp"
#include "wxbatch/util/error.hpp"
#include "wxbatch/webex/curl_transport.hpp"

namespace wxbatch::cli {

int run_command(const SettingFlags& flags) {
    engine::RunOptions options = resolve_options(flags);
    configure_logging(flags);
    report::log(report::LogLevel::Debug, "configuration",
                "effective configuration: " + engine::to_json(options).dump());
    if (options.input.empty() || options.action.empty()) {
        throw UsageError("run needs --input FILE and --action NAME (or both in --config)");
    }
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
    return engine::exit_code_for(result.state);
}

}  // namespace wxbatch::cli
