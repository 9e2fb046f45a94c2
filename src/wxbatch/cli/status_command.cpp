// `wxbatch status --out DIR`: where the run in DIR stands, from checkpoint.json (and the lock
// that a running wxbatch holds on DIR/wxbatch.lock), the rows past its watermark that the
// journal already settles, and the last session's figures from run_summary.json when it belongs
// to the same run. Exit 0 when there is a run to describe,
// 2 when there is none or its checkpoint cannot be read.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/cli/commands.hpp"
#include "wxbatch/engine/run_options.hpp"
#include "wxbatch/engine/run_state.hpp"
#include "wxbatch/report/run_summary.hpp"
#include "wxbatch/report/summary_text.hpp"
#include "wxbatch/state/checkpoint.hpp"
#include "wxbatch/state/journal.hpp"
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

// One line on the last session from run_summary.json, when it belongs to this run; "" when
// there is none (a run that never ended) or it cannot be read.
std::string last_session_line(const std::string& out_dir, const std::string& run_id) {
    std::ifstream in(std::filesystem::path(out_dir) / report::k_run_summary_file);
    const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (!in || doc.is_discarded() || !doc.is_object() || doc.value("run_id", "") != run_id) {
        return "";
    }
    try {
        return fmt::format(
            "last session: ended {} as {} after {:.1f} s, {:.1f} rows/s, {} retries, {} rate-limit "
            "pauses, {} breaker opens",
            doc.at("finished_at").get<std::string>(), doc.at("state").get<std::string>(),
            doc.at("duration_s").get<double>(), doc.at("throughput_rows_per_s").get<double>(),
            doc.at("retries").at("total").get<std::uint64_t>(),
            doc.at("rate_limit_waits").at("count").get<std::uint64_t>(),
            doc.at("breaker").at("opens").get<std::uint64_t>());
    } catch (const nlohmann::json::exception&) {
        return "";  // another version's summary: the checkpoint alone is enough
    }
}

std::string rows(std::uint64_t n) {
    return std::to_string(n) + (n == 1 ? " row" : " rows");
}

// The rows past the checkpoint's watermark that the journal settles (after kill -9, or while a
// run works): outcomes recorded there (a resume counts them, it does not send them again) and
// rows a request was sent for without an outcome (a resume verifies them first). "" when there
// are none; a line saying why when the journal cannot be read.
std::string journal_line(const std::string& out_dir, const state::Checkpoint& cp) {
    const auto journal = state::load_journal(out_dir, cp.run_id);
    if (!journal) {
        return "journal: " + journal.error().message;
    }
    std::uint64_t counts[3] = {0, 0, 0};  // success, already done, row errors
    std::uint64_t recorded = 0;
    for (const auto& [row, packed] : journal->outcomes) {
        if (row < cp.next_row) {
            continue;
        }
        ++recorded;
        const auto status = static_cast<actions::RowStatus>(state::outcome_status(packed));
        if (status == actions::RowStatus::Success) {
            ++counts[0];
        } else if (status == actions::RowStatus::AlreadyDone) {
            ++counts[1];
        } else {
            ++counts[2];
        }
    }
    const auto in_flight = static_cast<std::uint64_t>(std::count_if(
        journal->in_flight.begin(), journal->in_flight.end(),
        [&cp](std::uint64_t row) { return row >= cp.next_row; }));
    std::string line;
    if (recorded > 0) {
        line = fmt::format(
            "past the checkpoint: {} recorded in the journal ({} succeeded, {} already "
            "done, {} failed): a resume counts them without sending them again",
            rows(recorded), counts[0], counts[1], counts[2]);
    }
    if (in_flight > 0) {
        line += fmt::format("{}{} sent without a recorded outcome (the run stopped while "
                            "waiting for the answer): a resume checks whether each was applied "
                            "before sending anything",
                            line.empty() ? "past the checkpoint: " : "\n", rows(in_flight));
    }
    if (journal->truncated_tail) {
        line += (line.empty() ? "" : "\n") + journal->warning;
    }
    return line;
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
    if (const std::string line = journal_line(out_dir, cp); !line.empty()) {
        std::cout << line << "\n";
    }
    if (const std::string line = last_session_line(out_dir, cp.run_id); !line.empty()) {
        std::cout << line << "\n";
    }
    std::cout << next_step(cp, out_dir, running) << "\n";
    return 0;
}

}  // namespace wxbatch::cli
