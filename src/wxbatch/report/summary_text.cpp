#include "wxbatch/report/summary_text.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "wxbatch/report/progress.hpp"

namespace wxbatch::report {

std::string shell_quote(const std::string& word) {
    const bool plain = !word.empty() && word.find_first_not_of(
                                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
                                            "WXYZ0123456789_./:=@%+,-") == std::string::npos;
    if (plain) {
        return word;
    }
    std::string quoted = "'";
    for (char c : word) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

std::string format_summary_text(const SummaryFacts& f) {
    std::string text = f.state + (f.reason.empty() ? "" : ": " + f.reason) + "\n";
    text += fmt::format("rows:      {} processed", f.processed);
    if (f.processed_this_session != f.processed) {
        text += fmt::format(" ({} in this session)", f.processed_this_session);
    }
    text += fmt::format(": {} succeeded, {} already done, {} row errors\n", f.success,
                        f.already_done, f.row_errors);
    const double rate =
        f.duration_s > 0 ? static_cast<double>(f.processed_this_session) / f.duration_s : 0.0;
    text += fmt::format("time:      {} ({:.1f} s), {:.1f} rows/s\n",
                        format_duration_short(f.duration_s), f.duration_s, rate);
    text +=
        fmt::format("pushback:  {} retries, {} rate-limit pauses ({:.1f} s), {} breaker opens\n",
                    f.retries, f.rate_limit_pauses, f.rate_limit_pause_s, f.breaker_opens);
    const std::filesystem::path dir(f.out_dir);
    text += "reports:   " + (dir / "run_summary.json").string() + "\n";
    text += "           " + (dir / "row_errors.csv").string() + "\n";
    text += "           " + (dir / "checkpoint.json").string() + "\n";
    if (f.resumable) {
        text += "resume:    wxbatch run --input " + shell_quote(f.input) + " --action " +
                shell_quote(f.action) + " --out " + shell_quote(f.out_dir);
        if (!f.base_url.empty()) {
            text += " --base-url " + shell_quote(f.base_url);
        }
        text += " --resume\n";
    }
    return text;
}

}  // namespace wxbatch::report
