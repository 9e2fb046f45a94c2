#pragma once
// The end-of-run summary for a human, printed on stdout: the state (and why), the counts, the
// duration and throughput, what the service pushed back with (retries, rate-limit pauses,
// breaker opens), where the reports are, and the exact command that resumes the run.

#include <cstdint>
#include <string>

namespace wxbatch::report {

struct SummaryFacts {
    std::string state;   // e.g. COMPLETED_WITH_ROW_ERRORS
    std::string reason;  // why a run failed or was aborted ("" otherwise)
    std::uint64_t processed = 0;
    std::uint64_t processed_this_session = 0;
    std::uint64_t success = 0;
    std::uint64_t already_done = 0;
    std::uint64_t row_errors = 0;
    double duration_s = 0;
    std::uint64_t retries = 0;
    std::uint64_t rate_limit_pauses = 0;
    double rate_limit_pause_s = 0;
    std::uint64_t breaker_opens = 0;
    std::string out_dir;
    // The resume command is printed when `resumable`; input and action go into it.
    bool resumable = false;
    std::string input;
    std::string action;
    std::string base_url;  // added to the command when not empty (a non-default API URL)
};

// Quotes `word` for a POSIX shell when it holds anything but [A-Za-z0-9_./:=@%+,-].
std::string shell_quote(const std::string& word);

// The summary, several lines each ending in '\n'.
std::string format_summary_text(const SummaryFacts& facts);

}  // namespace wxbatch::report
