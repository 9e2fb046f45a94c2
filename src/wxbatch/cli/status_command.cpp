// `wxbatch status --out DIR`: where the run in DIR stands, from checkpoint.json (and the lock
// that a running wxbatch holds on DIR/wxbatch.lock). Exit 0 when there is a run to describe,
// 2 when there is none or its checkpoint cannot be read.

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "wxbatch/cli/commands.hpp"
#include "wxbatch/engine/run_options.hpp"
#include "wxbatch/engine/run_state.hpp"
#include "wxbatch/report/summary_text.hpp"
#include "wxbatch/state/checkpoint.hpp"
#include "wxbatch/state/out_dir_lock.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

namespace {

std::string state_label(const state::Checkpoint& cp, bool running) {
    if (running) {
        return "RUNNING now";
    }
    if (cp.state == "RUNNING") {
        return "RUNNING, but no process holds it: interrupted";
    }
    return cp.state;
}

std::string resume_command(const state::Checkpoint& cp, const std::string& out_dir) {
    std::string command = "wxbatch run --input " + report::shell_quote(cp.input.path) +
                          " --action " + report::shell_quote(cp.action) + " --out " +
                          report::shell_quote(out_dir);
    const auto url = cp.settings.find("base_url");
    if (url != cp.settings.end() && url->is_string() &&
        url->get<std::string>() != engine::RunOptions{}.base_url) {
        command += " --base-url " + report::shell_quote(url->get<std::string>());
    }
    return command + " --resume";
}

// What the operator can do next.
std::string next_step(const state::Checkpoint& cp, const std::string& out_dir, bool running) {
    if (running) {
        return "a wxbatch process is working on it now";
    }
    const auto parsed = engine::parse_run_state(cp.state);
    if (parsed && engine::is_resumable(*parsed)) {
        return "resumable: " + resume_command(cp, out_dir);
    }
    if (parsed == engine::RunState::CompletedWithRowErrors) {
        return "finished; failed rows are in " +
               (std::filesystem::path(out_dir) / "row_errors.csv").string();
    }
    return "finished";
}

}  // namespace

int status_command(const std::string& out_dir) {
    auto loaded = state::load_checkpoint(out_dir);
    if (!loaded) {
        throw UsageError(loaded.error().message);
    }
    if (!loaded->has_value()) {
        std::cout << "no run in " << out_dir << " (no checkpoint.json)\n";
        return 2;
    }
    const state::Checkpoint& cp = **loaded;
    const bool running = state::OutDirLock::held_by_other(out_dir);
    std::cout << fmt::format("run {}: {} of {} ({})\n", cp.run_id, cp.action, cp.input.path,
                             state_label(cp, running));
    if (!cp.reason.empty()) {
        std::cout << "reason: " << cp.reason << "\n";
    }
    const double fraction =
        cp.input.size > 0 ? static_cast<double>(cp.next_offset) / static_cast<double>(cp.input.size)
                          : 0.0;
    std::cout << fmt::format(
        "confirmed: {} rows ({:.1f}% of the file), {} succeeded, {} already done, {} row errors\n",
        cp.counters.processed, fraction * 100.0, cp.counters.success, cp.counters.already_done,
        cp.counters.row_errors);
    std::cout << fmt::format("next row: {} (batch {}); resumes so far: {}; last update: {}\n",
                             cp.next_row, cp.last_confirmed_batch + 1, cp.resumes, cp.updated_at);
    std::cout << next_step(cp, out_dir, running) << "\n";
    return 0;
}

}  // namespace wxbatch::cli
