#include "wxbatch/resilience/policy_report.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

namespace wxbatch::resilience {

namespace {

// Worst case for one request: every attempt times out and every wait is at its maximum.
double worst_case_row_s(const ResilienceSettings& s, const std::vector<AttemptWaitBounds>& table) {
    const double waits = table.empty() ? 0 : table.back().cumulative_max_s;
    return waits + s.retry.max_attempts * s.request_timeout_s;
}

nlohmann::json waits_json(const std::vector<AttemptWaitBounds>& table) {
    nlohmann::json waits = nlohmann::json::array();
    for (const auto& row : table) {
        if (row.gives_up) {
            waits.push_back({{"attempt", row.attempt}, {"gives_up", true}});
        } else {
            waits.push_back({{"attempt", row.attempt},
                             {"min_s", row.min_s},
                             {"max_s", row.max_s},
                             {"cumulative_max_s", row.cumulative_max_s}});
        }
    }
    return waits;
}

std::string pacing_text(const PacingSettings& p) {
    if (!p.enabled) {
        return "pacing: off (only 429 pauses)\n";
    }
    const std::string start =
        p.initial_rate > 0 ? fmt::format("{} req/s at first", p.initial_rate)
                           : std::string("unlimited until the first 429");
    return fmt::format(
        "pacing: {}, then x{} of the admitted rate; once the server's "
        "rate is modelled (from an earlier segment and a later one), x{} of it less the model's "
        "own error, or, from a trusted model, all of it less its error, held until a probe "
        "started at x{} less the error passes it (x{} of the admitted rate when the model does not "
        "apply); every {} s without a 429 +{}% (compounding) until modelled, +{}% after a model "
        "from a short segment, the model's error over 30 s (at least +{}%) once the model is "
        "trusted, +{}% past the modelled rate; after a trusted model within 1%, up to 80% of its "
        "burst at once when a pause ends; at least {} req/s\n",
        start, p.quick_decrease_factor, p.learned_decrease_factor, p.learned_decrease_factor,
        p.decrease_factor, p.increase_interval_s, p.increase_step * 100,
        p.unsure_increase_step * 100, p.learned_increase_step * 100, p.learned_increase_step * 100,
        p.min_rate);
}

nlohmann::json pacing_json(const PacingSettings& p) {
    return {{"enabled", p.enabled},
            {"initial_rate", p.initial_rate},
            {"decrease_factor", p.decrease_factor},
            {"quick_decrease_factor", p.quick_decrease_factor},
            {"learned_decrease_factor", p.learned_decrease_factor},
            {"learned_increase_step", p.learned_increase_step},
            {"increase_interval_s", p.increase_interval_s},
            {"increase_step", p.increase_step},
            {"unsure_increase_step", p.unsure_increase_step},
            {"min_rate", p.min_rate},
            {"tolerance_s", p.tolerance_s}};
}

}  // namespace

std::vector<AttemptWaitBounds> wait_table(const RetrySettings& retry) {
    const RetryPolicy policy(retry);
    std::vector<AttemptWaitBounds> table;
    double cumulative = 0;
    for (int attempt = 1; attempt <= retry.max_attempts; ++attempt) {
        AttemptWaitBounds row;
        row.attempt = attempt;
        if (attempt == retry.max_attempts) {
            row.gives_up = true;
            row.cumulative_max_s = cumulative;
        } else {
            const WaitBounds b = policy.wait().bounds(attempt);
            cumulative += b.max_s;
            row.min_s = b.min_s;
            row.max_s = b.max_s;
            row.cumulative_max_s = cumulative;
        }
        table.push_back(row);
    }
    return table;
}

std::string render_policy_text(const ResilienceSettings& s) {
    const auto table = wait_table(s.retry);
    std::ostringstream out;
    const auto& r = s.retry;
    out << fmt::format("retry profile {}: {} attempts, base {} s, max delay {} s, {}, ", r.profile,
                       r.max_attempts, r.base_delay_s, r.max_delay_s,
                       r.jitter ? "full jitter" : "no jitter");
    out << (r.max_total_s > 0 ? fmt::format("at most {} s per row\n", r.max_total_s)
                              : std::string("no per-row time limit\n"));
    out << fmt::format("request timeout {} s; Retry-After honoured up to {} s\n",
                       s.request_timeout_s, s.retry_after_cap_s);
    out << fmt::format("rate limit (429): pauses every worker; per row at most {} waits, {} s\n",
                       s.rate_limit.max_waits_per_row, s.rate_limit.max_wait_s_per_row);
    out << pacing_text(s.pacing);
    const auto& b = s.breaker;
    const int minimum = b.minimum_calls <= 0 ? b.window : std::min(b.minimum_calls, b.window);
    out << fmt::format(
        "circuit breaker: window {} calls, opens at >= {}% failures (after {} calls), open {} s, "
        "{} half-open probes\n",
        b.window, b.failure_threshold * 100, minimum, b.open_s, b.half_open_probes);
    std::string bound;
    if (b.max_open_cycles > 0) {
        bound = fmt::format("reopened more than {} times in a row", b.max_open_cycles);
    }
    if (b.max_open_total_s > 0) {
        bound += fmt::format("{}open {} s in total since it last closed",
                             bound.empty() ? "" : " or ", b.max_open_total_s);
    }
    out << fmt::format(
        "systemic stop: breaker {}; 403 on {} consecutive rows; a 401 that "
        "persists after re-validating the token\n",
        bound.empty() ? "never" : bound, s.forbidden_rows_systemic);
    out << "\nattempt  wait after it (s)      cumulative worst (s)\n";
    for (const auto& row : table) {
        if (row.gives_up) {
            out << fmt::format("{:>7}  give up\n", row.attempt);
        } else {
            const std::string range = fmt::format("[{:.6g}, {:.6g}]", row.min_s, row.max_s);
            out << fmt::format("{:>7}  {:<21}  {:.6g}\n", row.attempt, range, row.cumulative_max_s);
        }
    }
    out << fmt::format("\nworst case for one request: {:.6g} s (every attempt timing out)\n",
                       worst_case_row_s(s, table));
    return out.str();
}

nlohmann::json policy_json(const ResilienceSettings& s) {
    const auto table = wait_table(s.retry);
    const auto& r = s.retry;
    const auto& b = s.breaker;
    return {
        {"retry",
         {{"profile", r.profile},
          {"max_attempts", r.max_attempts},
          {"base_delay_s", r.base_delay_s},
          {"max_delay_s", r.max_delay_s},
          {"max_total_s", r.max_total_s},
          {"jitter", r.jitter}}},
        {"breaker",
         {{"window", b.window},
          {"failure_threshold", b.failure_threshold},
          {"minimum_calls", b.minimum_calls},
          {"open_s", b.open_s},
          {"half_open_probes", b.half_open_probes},
          {"max_open_cycles", b.max_open_cycles},
          {"max_open_total_s", b.max_open_total_s}}},
        {"rate_limit",
         {{"max_waits_per_row", s.rate_limit.max_waits_per_row},
          {"max_wait_s_per_row", s.rate_limit.max_wait_s_per_row}}},
        {"pacing", pacing_json(s.pacing)},
        {"retry_after_cap_s", s.retry_after_cap_s},
        {"request_timeout_s", s.request_timeout_s},
        {"forbidden_rows_systemic", s.forbidden_rows_systemic},
        {"waits", waits_json(table)},
        {"worst_case_row_s", worst_case_row_s(s, table)},
    };
}

}  // namespace wxbatch::resilience
