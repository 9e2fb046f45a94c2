#include "wxsim/flags.hpp"

#include <stdexcept>
#include <vector>

namespace wxsim {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) {
            return parts;
        }
        start = end + 1;
    }
}

double number_of(const std::string& text, const std::string& flag) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value < 0) {
        throw std::invalid_argument(flag + ": '" + text + "' is not a non-negative number");
    }
    return value;
}

double probability_of(const std::string& text, const std::string& flag) {
    const double p = number_of(text, flag);
    if (p > 1) {
        throw std::invalid_argument(flag + ": a probability is at most 1");
    }
    return p;
}

}  // namespace

FaultRule parse_fail_flag(const std::string& text) {
    const auto parts = split(text, ':');
    if (parts.size() != 4 || parts[0].empty() || parts[1].empty()) {
        throw std::invalid_argument("--fail wants METHOD:PATH:STATUS:PROB, not '" + text + "'");
    }
    FaultRule rule;
    rule.method = parts[0];
    rule.path_prefix = parts[1];
    const double status = number_of(parts[2], "--fail");
    if (status < 100 || status > 599 || status != static_cast<int>(status)) {
        throw std::invalid_argument("--fail: '" + parts[2] + "' is not an HTTP status");
    }
    rule.status = static_cast<int>(status);
    rule.probability = probability_of(parts[3], "--fail");
    return rule;
}

Outage parse_outage_flag(const std::string& text) {
    const auto parts = split(text, ':');
    if (parts.size() != 2) {
        throw std::invalid_argument("--outage wants START_S:DURATION_S, not '" + text + "'");
    }
    Outage outage;
    outage.start_s = number_of(parts[0], "--outage");
    outage.duration_s = number_of(parts[1], "--outage");
    return outage;
}

std::pair<double, double> parse_slow_flag(const std::string& text) {
    const auto parts = split(text, ':');
    if (parts.size() != 2) {
        throw std::invalid_argument("--slow wants PROB:MS, not '" + text + "'");
    }
    return {probability_of(parts[0], "--slow"), number_of(parts[1], "--slow")};
}

}  // namespace wxsim
