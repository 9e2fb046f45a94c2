#pragma once
// Parsers for the compound command-line flags. Each throws std::invalid_argument on bad text.

#include <string>
#include <utility>

#include "wxsim/options.hpp"

namespace wxsim {

// "METHOD:PATH:STATUS:PROB" (METHOD may be `*`), e.g. "POST:/v1/memberships:503:0.05".
FaultRule parse_fail_flag(const std::string& text);

// "START_S:DURATION_S", e.g. "5:3".
Outage parse_outage_flag(const std::string& text);

// "PROB:MS", e.g. "0.01:3000"; returns {probability, delay_ms}.
std::pair<double, double> parse_slow_flag(const std::string& text);

}  // namespace wxsim
