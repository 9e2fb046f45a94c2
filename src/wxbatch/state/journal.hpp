#pragma once
// The row journal (journal.wxj in the out dir): closes the gap between batch checkpoints.
// Before a mutation is sent for a row, a Begin record is appended; once the row's outcome is
// known, an Outcome record is appended, and only then does the row count as done. After a
// crash at any instant, --resume skips every row with a recorded Outcome and verifies first
// every row left in flight (Begin without Outcome). See docs/state.md for the guarantees.

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"
#include "wxbatch/util/file_system.hpp"

namespace wxbatch::state {

// The status byte of an Outcome record is opaque to the journal. These pack two small values in
// it: the row's status (e.g. actions::RowStatus) in the low 4 bits and a detail (e.g. the
// webex::ErrorClass of a failed row, so that a resume can retry rows whose transient retries were
// exhausted) in the high 4 bits. Both must be below 16.
constexpr std::uint8_t pack_outcome(unsigned status, unsigned detail) {
    return static_cast<std::uint8_t>((status & 0x0fU) | ((detail & 0x0fU) << 4));
}
constexpr unsigned outcome_status(std::uint8_t packed) {
    return packed & 0x0fU;
}
constexpr unsigned outcome_detail(std::uint8_t packed) {
    return (packed >> 4) & 0x0fU;
}

// What a journal on disk says.
struct JournalState {
    // Rows whose last record is an Outcome, with its status (the engine's RowStatus as a byte).
    std::unordered_map<std::uint64_t, std::uint8_t> outcomes;
    // Rows whose last record is a Begin: a request may have been sent, its outcome is unknown.
    std::set<std::uint64_t> in_flight;
    std::uint64_t valid_bytes = 0;  // length of the file up to the end of the last whole record
    bool truncated_tail = false;    // a torn last record was found (and dropped)
    std::string warning;            // says what was dropped, when truncated_tail
};

// Reads `dir`/journal.wxj. An absent or empty file is an empty state. A torn last record (a
// crash during an append) is dropped with a warning; damage before the end, or a journal of
// another run than `run_id`, is a Corrupt error naming the file, the offset and the problem.
// Reading does not modify the file.
Expected<JournalState, Error> load_journal(const std::string& dir, const std::string& run_id);

// load_journal's parser over bytes in memory; `name` is the file name used in messages.
Expected<JournalState, Error> parse_journal(std::string_view bytes, const std::string& name,
                                            const std::string& run_id);

// The journal writer. All members are thread-safe. An append returns once its record is in the
// kernel (it survives kill -9 of this process); sync() makes every record appended so far
// survive a power loss too (group commit: call it before treating outcomes as confirmed to the
// outside, e.g. at batch close). After an append fails, the partial record is cut off again; if
// even that fails, the journal refuses every later call with the same error.
class Journal {
  public:
    // Opens `dir`/journal.wxj for appending, creating it (durably, with a header naming
    // `run_id`) when absent. A torn tail is truncated away. Errors as for load_journal, and Io
    // errors for the file system.
    static Expected<Journal, Error> open(const std::string& dir, const std::string& run_id,
                                         FileSystem& fs = real_fs());

    Journal(Journal&&) noexcept;
    Journal& operator=(Journal&&) noexcept;
    ~Journal();

    // A mutation for `row` is about to be sent.
    Expected<void, Error> append_begin(std::uint64_t row);
    // The outcome of `row` is confirmed.
    Expected<void, Error> append_outcome(std::uint64_t row, std::uint8_t status);
    // fdatasync: every record appended before this call is on stable storage. Appends from
    // other threads are not held up while it waits for the disk.
    Expected<void, Error> sync();

    // Drops every row below `below_row` (they are covered by the checkpoint watermark) by
    // rewriting the journal atomically with the remaining rows only, so that the file and the
    // memory held here stay proportional to the rows past the watermark.
    Expected<void, Error> compact(std::uint64_t below_row);
    // compact() of every row.
    Expected<void, Error> reset();

    // What open() found on disk (after dropping a torn tail).
    const JournalState& recovered() const;
    // Rows currently held (those not yet compacted away).
    std::size_t live_rows() const;
    // Bytes in the file now.
    std::uint64_t size_bytes() const;

  private:
    struct Impl;
    explicit Journal(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace wxbatch::state
