#include "wxsim/options.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wxsim {

namespace {

using nlohmann::json;

double probability_of(const json& value, const char* what) {
    const double p = value.get<double>();
    if (p < 0 || p > 1) {
        throw std::invalid_argument(std::string(what) + ": probability must be in [0, 1]");
    }
    return p;
}

void apply_rate_limit(const json& j, RateLimitOptions& rate) {
    rate.rate = j.value("rate", rate.rate);
    rate.burst = j.value("burst", rate.burst);
    rate.retry_after_s = j.value("retry_after_s", rate.retry_after_s);
    if (j.contains("retry_after_format")) {
        rate.retry_after_format =
            parse_retry_after_format(j.at("retry_after_format").get<std::string>());
    }
    if (j.contains("schedule")) {
        rate.schedule.clear();
        for (const auto& step : j.at("schedule")) {
            rate.schedule.push_back(
                {step.at("after_s").get<double>(), step.at("rate").get<double>()});
        }
    }
}

FaultRule fault_rule_of(const json& j) {
    FaultRule rule;
    rule.method = j.value("method", std::string("*"));
    rule.path_prefix = j.value("path", std::string());
    rule.status = j.at("status").get<int>();
    rule.probability = probability_of(j.at("probability"), "faults");
    rule.retry_after_s = j.value("retry_after_s", 0.0);
    if (rule.status < 100 || rule.status > 599) {
        throw std::invalid_argument("faults: status must be an HTTP status");
    }
    return rule;
}

Outage outage_of(const json& j) {
    Outage outage;
    outage.start_s = j.value("start_s", -1.0);
    outage.duration_s = j.value("duration_s", 0.0);
    outage.start_request = j.value("start_request", std::int64_t{-1});
    outage.requests = j.value("requests", std::int64_t{0});
    return outage;
}

void apply_faults(const json& profile, Options& options) {
    if (profile.contains("faults")) {
        options.faults.clear();
        for (const auto& rule : profile.at("faults")) {
            options.faults.push_back(fault_rule_of(rule));
        }
    }
    if (profile.contains("outages")) {
        options.outages.clear();
        for (const auto& outage : profile.at("outages")) {
            options.outages.push_back(outage_of(outage));
        }
    }
    if (profile.contains("latency")) {
        const auto& latency = profile.at("latency");
        options.latency_mean_ms = latency.value("mean_ms", options.latency_mean_ms);
        options.latency_jitter_ms = latency.value("jitter_ms", options.latency_jitter_ms);
    }
    if (profile.contains("slow")) {
        options.slow_probability = probability_of(profile.at("slow").at("probability"), "slow");
        options.slow_delay_ms = profile.at("slow").value("delay_ms", options.slow_delay_ms);
    }
    if (profile.contains("drop")) {
        options.drop_probability = probability_of(profile.at("drop").at("probability"), "drop");
    }
}

void apply_mutation_faults(const json& profile, Options& options) {
    if (profile.contains("applied_then_failed")) {
        const auto& atf = profile.at("applied_then_failed");
        options.applied_then_failed_probability =
            probability_of(atf.at("probability"), "applied_then_failed");
        if (atf.contains("mode")) {
            options.applied_then_failed_mode = parse_fail_mode(atf.at("mode").get<std::string>());
        }
    }
    if (profile.contains("calling_data_quirk")) {
        options.calling_data_quirk_probability = probability_of(
            profile.at("calling_data_quirk").at("probability"), "calling_data_quirk");
    }
}

}  // namespace

RetryAfterFormat parse_retry_after_format(const std::string& text) {
    if (text == "seconds") {
        return RetryAfterFormat::Seconds;
    }
    if (text == "http-date") {
        return RetryAfterFormat::HttpDate;
    }
    if (text == "malformed") {
        return RetryAfterFormat::Malformed;
    }
    throw std::invalid_argument("retry_after_format must be seconds, http-date or malformed");
}

FailMode parse_fail_mode(const std::string& text) {
    if (text == "502") {
        return FailMode::BadGateway;
    }
    if (text == "drop") {
        return FailMode::Drop;
    }
    if (text == "mixed") {
        return FailMode::Mixed;
    }
    throw std::invalid_argument("applied_then_failed mode must be 502, drop or mixed");
}

void apply_profile(const json& profile, Options& options) {
    try {
        if (!profile.is_object()) {
            throw std::invalid_argument("a profile is a JSON object");
        }
        options.seed = profile.value("seed", options.seed);
        if (profile.contains("tokens")) {
            options.tokens = profile.at("tokens").get<std::vector<std::string>>();
        }
        if (profile.contains("rate_limit")) {
            apply_rate_limit(profile.at("rate_limit"), options.rate_limit);
        }
        apply_faults(profile, options);
        apply_mutation_faults(profile, options);
        options.revoke_after = profile.value("revoke_token_after", options.revoke_after);
        options.max_body_bytes = profile.value("max_body_bytes", options.max_body_bytes);
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("invalid profile: ") + e.what());
    }
}

json read_json_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::invalid_argument("cannot read " + path);
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
        return json::parse(text.str());
    } catch (const json::exception& e) {
        throw std::invalid_argument(path + ": " + e.what());
    }
}

}  // namespace wxsim
