#pragma once
// Tracks the batches in flight and advances the contiguous watermark: the last batch index
// such that it and every batch before it have an outcome for every row. Batches may finish out
// of order when several run concurrently; the checkpoint only ever records the watermark.
// Pure bookkeeping (no I/O, no clock), guarded by the caller.

#include <cstdint>
#include <map>
#include <vector>

namespace wxbatch::engine {

// Where reading resumes in the input: the record that starts the next batch.
struct InputPosition {
    std::uint64_t offset = 0;  // byte offset of the record
    std::uint64_t row = 1;     // its row number
    std::uint64_t line = 2;    // its physical line number
};

struct RowCounts {
    std::uint64_t processed = 0;
    std::uint64_t success = 0;
    std::uint64_t already_done = 0;
    std::uint64_t row_errors = 0;

    RowCounts& operator+=(const RowCounts& other);
};

enum class RowResult { Success, AlreadyDone, RowError };

struct ConfirmedBatch {
    std::int64_t index = -1;
    InputPosition next;  // where the batch after it starts
    RowCounts counts;
};

class BatchTracker {
public:
    // `watermark` is the last confirmed batch (-1 when none).
    explicit BatchTracker(std::int64_t watermark = -1) : m_watermark(watermark) {}

    // A batch of `rows` rows was read; `next` is the input position just after its last row.
    void open(std::int64_t index, std::uint64_t rows, InputPosition next);
    // One row of batch `index` has a recorded outcome.
    void record(std::int64_t index, RowResult result);
    // Batches that became confirmed since the last call, in order (the watermark moves past them).
    std::vector<ConfirmedBatch> take_confirmed();

    std::int64_t watermark() const { return m_watermark; }
    std::size_t open_batches() const { return m_open.size(); }

private:
    struct Open {
        std::uint64_t rows = 0;
        InputPosition next;
        RowCounts counts;
    };
    std::int64_t m_watermark;
    std::map<std::int64_t, Open> m_open;
};

}  // namespace wxbatch::engine
