// The TOML config file: flat keys named like the flags, with underscores
// (`batch_size = 200`, `retry_profile = "conservative"`, `breaker_open_seconds = 45`).

#include <functional>
#include <map>

#include <toml++/toml.h>

#include "wxbatch/cli/settings_cli.hpp"
#include "wxbatch/resilience/retry_policy.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

namespace {

using Setter = std::function<void(const toml::node&, engine::RunOptions&)>;

std::string where(const std::string& path, const toml::node& node) {
    const auto& src = node.source();
    return path + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
}

template <class T>
T need(const std::string& path, const std::string& key, const toml::node& node) {
    if constexpr (std::is_same_v<T, double>) {
        if (auto v = node.value<double>()) {
            return *v;
        }
    } else if (auto v = node.value_exact<T>()) {
        return *v;
    }
    throw UsageError(where(path, node) + ": '" + key + "' has the wrong type");
}

std::map<std::string, std::function<void(const std::string&, const toml::node&,
                                         engine::RunOptions&)>>
setters() {
    using O = engine::RunOptions;
    using N = toml::node;
    using S = std::string;
    auto str = [](std::string O::*member) {
        return [member](const S& p, const N& n, O& o) { o.*member = need<S>(p, "", n); };
    };
    return {
        {"input", str(&O::input)},
        {"action", str(&O::action)},
        {"out", str(&O::out_dir)},
        {"base_url", str(&O::base_url)},
        {"progress", str(&O::progress)},
        {"token_file", [](const S& p, const N& n, O& o) { o.token_file = need<S>(p, "token_file", n); }},
        {"token_command",
         [](const S& p, const N& n, O& o) { o.token_command = need<S>(p, "token_command", n); }},
        {"batch_size",
         [](const S& p, const N& n, O& o) {
             o.batch_size = static_cast<std::size_t>(need<std::int64_t>(p, "batch_size", n));
         }},
        {"max_inflight_batches",
         [](const S& p, const N& n, O& o) {
             o.max_inflight_batches = static_cast<int>(need<std::int64_t>(p, "max_inflight_batches", n));
         }},
        {"max_inflight_requests",
         [](const S& p, const N& n, O& o) {
             o.max_inflight_requests =
                 static_cast<int>(need<std::int64_t>(p, "max_inflight_requests", n));
         }},
        {"pacing",
         [](const S& p, const N& n, O& o) { o.resilience.pacing.enabled = need<bool>(p, "pacing", n); }},
        {"pacing_initial_rate",
         [](const S& p, const N& n, O& o) {
             o.resilience.pacing.initial_rate = need<double>(p, "pacing_initial_rate", n);
         }},
        {"retry_profile",
         [](const S& p, const N& n, O& o) {
             o.resilience.retry = resilience::retry_profile(need<S>(p, "retry_profile", n));
         }},
        {"request_timeout",
         [](const S& p, const N& n, O& o) { o.resilience.request_timeout_s = need<double>(p, "request_timeout", n); }},
        {"retry_max_attempts",
         [](const S& p, const N& n, O& o) {
             o.resilience.retry.max_attempts = static_cast<int>(need<std::int64_t>(p, "retry_max_attempts", n));
         }},
        {"retry_base_delay",
         [](const S& p, const N& n, O& o) { o.resilience.retry.base_delay_s = need<double>(p, "retry_base_delay", n); }},
        {"retry_max_delay",
         [](const S& p, const N& n, O& o) { o.resilience.retry.max_delay_s = need<double>(p, "retry_max_delay", n); }},
        {"retry_max_total",
         [](const S& p, const N& n, O& o) { o.resilience.retry.max_total_s = need<double>(p, "retry_max_total", n); }},
        {"retry_after_cap",
         [](const S& p, const N& n, O& o) { o.resilience.retry_after_cap_s = need<double>(p, "retry_after_cap", n); }},
        {"breaker_window",
         [](const S& p, const N& n, O& o) {
             o.resilience.breaker.window = static_cast<int>(need<std::int64_t>(p, "breaker_window", n));
             o.resilience.breaker.minimum_calls = o.resilience.breaker.window;
         }},
        {"breaker_failure_threshold",
         [](const S& p, const N& n, O& o) {
             o.resilience.breaker.failure_threshold = need<double>(p, "breaker_failure_threshold", n);
         }},
        {"breaker_open_seconds",
         [](const S& p, const N& n, O& o) { o.resilience.breaker.open_s = need<double>(p, "breaker_open_seconds", n); }},
        {"breaker_half_open_probes",
         [](const S& p, const N& n, O& o) {
             o.resilience.breaker.half_open_probes = static_cast<int>(need<std::int64_t>(p, "breaker_half_open_probes", n));
         }},
        {"breaker_max_open_cycles",
         [](const S& p, const N& n, O& o) {
             o.resilience.breaker.max_open_cycles = static_cast<int>(need<std::int64_t>(p, "breaker_max_open_cycles", n));
         }},
        {"breaker_max_open_seconds",
         [](const S& p, const N& n, O& o) {
             o.resilience.breaker.max_open_total_s = need<double>(p, "breaker_max_open_seconds", n);
         }},
        {"max_row_error_rate",
         [](const S& p, const N& n, O& o) { o.max_row_error_rate = need<double>(p, "max_row_error_rate", n); }},
        {"min_rows_for_error_rate",
         [](const S& p, const N& n, O& o) {
             o.min_rows_for_error_rate = static_cast<std::uint64_t>(need<std::int64_t>(p, "min_rows_for_error_rate", n));
         }},
        {"resend_ambiguous",
         [](const S& p, const N& n, O& o) { o.resend_ambiguous = need<bool>(p, "resend_ambiguous", n); }},
        {"progress_interval",
         [](const S& p, const N& n, O& o) { o.progress_interval_s = need<double>(p, "progress_interval", n); }},
    };
}

// Applies one setting; an error from the value's own check (an unknown retry profile) gets
// the file, line and column in front, like the type errors.
template <class Setter>
void apply_setting(const Setter& setter, const std::string& path, const toml::node& node,
                   engine::RunOptions& options) {
    try {
        setter(path, node, options);
    } catch (const UsageError& e) {
        const std::string message = e.what();
        if (message.rfind(path + ":", 0) == 0) {
            throw;
        }
        throw UsageError(where(path, node) + ": " + message);
    }
}

}  // namespace

void apply_config_file(const std::string& path, engine::RunOptions& options) {
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& src = e.source();
        throw UsageError(path + ":" + std::to_string(src.begin.line) + ":" +
                         std::to_string(src.begin.column) + ": " + std::string(e.description()));
    }
    const auto known = setters();
    // A profile sets several figures at once: apply it before the individual overrides.
    if (const toml::node* profile = table.get("retry_profile")) {
        apply_setting(known.at("retry_profile"), path, *profile, options);
    }
    for (const auto& [key, node] : table) {
        if (key.str() == "retry_profile") {
            continue;
        }
        const std::string name(key.str());
        if (name == "token" || name == "access_token") {
            throw UsageError(where(path, node) +
                             ": the token is never a setting (use token_file or token_command)");
        }
        auto it = known.find(name);
        if (it == known.end()) {
            throw UsageError(where(path, node) + ": unknown setting '" + name + "'");
        }
        apply_setting(it->second, path, node, options);
    }
}

}  // namespace wxbatch::cli
