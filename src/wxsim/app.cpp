#include "wxsim/app.hpp"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>

// GCC 12 reports a false -Wnull-dereference inside CLI11's inlined string splitting.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>

#include "wxsim/flags.hpp"
#include "wxsim/options.hpp"
#include "wxsim/server.hpp"

namespace wxsim {

namespace {

// Flag values; an empty optional means "not given", so the profile's value stays.
struct Flags {
    std::string profile;
    std::string seed_file;
    std::optional<std::uint64_t> seed;
    std::vector<std::string> tokens;
    std::optional<double> rate;
    std::optional<double> burst;
    std::optional<std::string> retry_after_format;
    std::optional<double> latency_ms;
    std::vector<std::string> fails;
    std::optional<double> drop;
    std::optional<std::string> slow;
    std::vector<std::string> outages;
    std::optional<std::int64_t> revoke_after;
    std::optional<double> applied_then_failed;
    std::optional<std::string> applied_then_failed_mode;
    std::optional<double> calling_data_quirk;
    std::optional<std::size_t> max_body_bytes;
};

void add_flags(CLI::App& app, Flags& flags, Options& options) {
    app.add_option("--port", options.port, "TCP port on 127.0.0.1; 0 picks a free one");
    app.add_option("--port-file", options.port_file, "write the bound port here (atomically)");
    app.add_option("--token", flags.tokens, "accepted bearer token (repeatable); none: any");
    app.add_option("--seed", flags.seed, "seed of every random fault decision");
    app.add_option("--profile", flags.profile, "JSON fault profile (flags override it)");
    app.add_option("--seed-file", flags.seed_file, "JSON seed data (people, rooms, teams, ...)");
    app.add_option("--rate", flags.rate, "rate limit, requests per second (0: none)");
    app.add_option("--burst", flags.burst, "rate-limit bucket size");
    app.add_option("--retry-after-format", flags.retry_after_format, "seconds|http-date|malformed");
    app.add_option("--latency-ms", flags.latency_ms, "mean added latency in milliseconds");
    app.add_option("--fail", flags.fails, "METHOD:PATH:STATUS:PROB injected status (repeatable)");
    app.add_option("--drop", flags.drop, "probability of a dropped connection");
    app.add_option("--slow", flags.slow, "PROB:MS share of slow responses and their delay");
    app.add_option("--outage", flags.outages, "START_S:DURATION_S every request 503 (repeatable)");
    app.add_option("--revoke-after", flags.revoke_after, "401 after this many API requests");
    app.add_option("--applied-then-failed", flags.applied_then_failed,
                   "probability that a mutation is applied and then answered 502/dropped");
    app.add_option("--applied-then-failed-mode", flags.applied_then_failed_mode, "502|drop|mixed");
    app.add_option("--calling-data-quirk", flags.calling_data_quirk,
                   "probability that POST /people?callingData=true answers 400 after creating");
    app.add_option("--max-body-bytes", flags.max_body_bytes, "413 above this body size");
    app.add_option("--threads", options.threads, "server threads");
    app.add_flag("--quiet", options.quiet, "print only the listening line");
}

void apply_flags(const Flags& flags, Options& options) {
    if (!flags.profile.empty()) {
        apply_profile(read_json_file(flags.profile), options);
    }
    if (!flags.seed_file.empty()) {
        options.seed_data = read_json_file(flags.seed_file);
    }
    options.seed = flags.seed.value_or(options.seed);
    if (!flags.tokens.empty()) {
        options.tokens = flags.tokens;
    }
    options.rate_limit.rate = flags.rate.value_or(options.rate_limit.rate);
    options.rate_limit.burst = flags.burst.value_or(options.rate_limit.burst);
    if (flags.retry_after_format) {
        options.rate_limit.retry_after_format = parse_retry_after_format(*flags.retry_after_format);
    }
    options.latency_mean_ms = flags.latency_ms.value_or(options.latency_mean_ms);
    for (const auto& fail : flags.fails) {
        options.faults.push_back(parse_fail_flag(fail));
    }
    options.drop_probability = flags.drop.value_or(options.drop_probability);
    if (flags.slow) {
        std::tie(options.slow_probability, options.slow_delay_ms) = parse_slow_flag(*flags.slow);
    }
    for (const auto& outage : flags.outages) {
        options.outages.push_back(parse_outage_flag(outage));
    }
    options.revoke_after = flags.revoke_after.value_or(options.revoke_after);
    options.applied_then_failed_probability =
        flags.applied_then_failed.value_or(options.applied_then_failed_probability);
    if (flags.applied_then_failed_mode) {
        options.applied_then_failed_mode = parse_fail_mode(*flags.applied_then_failed_mode);
    }
    options.calling_data_quirk_probability =
        flags.calling_data_quirk.value_or(options.calling_data_quirk_probability);
    options.max_body_bytes = flags.max_body_bytes.value_or(options.max_body_bytes);
}

// Writes the port to `path` through a temporary file renamed over it.
void write_port_file(const std::string& path, int port) {
    const std::string temporary = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << port << '\n';
        out.close();
        if (!out) {
            throw std::runtime_error("cannot write " + temporary);
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        throw std::runtime_error("cannot rename " + temporary + " to " + path);
    }
}

// Serves until SIGTERM or SIGINT; the signals are blocked in every thread and awaited here.
int serve(Options options) {
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    const std::string port_file = options.port_file;
    const bool quiet = options.quiet;
    Server server;
    const int port = server.start(std::move(options));
    if (!port_file.empty()) {
        write_port_file(port_file, port);
    }
    std::cout << "wxsim listening on http://127.0.0.1:" << port << std::endl;
    int received = 0;
    sigwait(&stop_signals, &received);
    if (!quiet) {
        std::cerr << "wxsim: signal " << received << ", stopping\n";
    }
    server.stop();
    return 0;
}

}  // namespace

int run_main(int argc, char** argv) {
    CLI::App app{"wxsim: a Webex REST API simulator on 127.0.0.1"};
    Options options;
    Flags flags;
    add_flags(app, flags, options);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        apply_flags(flags, options);
        return serve(std::move(options));
    } catch (const std::exception& e) {
        std::cerr << "wxsim: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace wxsim
