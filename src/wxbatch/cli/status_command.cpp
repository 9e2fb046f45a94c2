// `wxbatch status --out DIR`: where the run in DIR stands, from checkpoint.json (and the lock
// that a running wxbatch holds on DIR/wxbatch.lock).

#include <iostream>

#include <fmt/format.h>

#include "wxbatch/cli/commands.hpp"
#include "wxbatch/state/out_dir_lock.hpp"
#include "wxbatch/engine/run_state.hpp"
#include "wxbatch/state/checkpoint.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

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
    const auto parsed = engine::parse_run_state(cp.state);
    std::cout << fmt::format("run {}: {} of {} ({})\n", cp.run_id, cp.action, cp.input.path,
                             running ? "RUNNING now" : cp.state);
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
    if (running) {
        std::cout << "a wxbatch process is working on it now\n";
    } else if (parsed && engine::is_resumable(*parsed)) {
        std::cout << "resumable: wxbatch run --input " << cp.input.path << " --action " << cp.action
                  << " --out " << out_dir << " --resume\n";
    } else {
        std::cout << "finished\n";
    }
    return 0;
}

}  // namespace wxbatch::cli
