#pragma once
// Hands rows to the lanes (the threads that execute rows) when more than one request may be in
// flight. Up to `max_open_batches` batches are open at once; rows go out in input order, the
// oldest open batch first. Two rows with the same ordering key (the person, the membership,
// the conversation they act on) are never in flight together and run in input order: a lane
// that draws a row whose key is busy waits its turn (FIFO per key) before executing it. A row
// handed back as deferred (its retries ran out on transient failures) goes out once more after
// every other row of its batch has finished; the batch then closes. Thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "wxbatch/csv/row_record.hpp"

namespace wxbatch::engine {

struct ScheduledBatch {
    std::int64_t index = -1;
    std::vector<csv::RowRecord> rows;
};

class RowScheduler {
  public:
    // Fills the next batch from the input; false when the input has ended (or failed, or the run
    // is stopping). Called with the scheduler's lock held, never concurrently.
    using ReadBatch = std::function<bool(ScheduledBatch&)>;
    using KeyOf = std::function<std::string(const csv::RowRecord&)>;

    struct Task {
        std::int64_t batch = -1;
        const csv::RowRecord* row = nullptr;
        bool may_defer = true;  // false on the second round
        std::string key;
        std::uint64_t ticket = 0;
        void* slot = nullptr;  // the open batch (internal)
    };

    RowScheduler(std::size_t max_open_batches, ReadBatch read, KeyOf key_of);

    // The next row to execute, in input order. Waits while every open batch has all its rows out
    // and no new batch may open. nullopt when every row was handed out and finished, or as soon
    // as `stop` is set (rows not handed out stay unjournaled: --resume executes them).
    std::optional<Task> next(const std::atomic<bool>& stop);

    // Waits until no earlier row with the task's key is in flight. false when `stop` was set
    // first: the lane then calls finish(task, false) without executing the row.
    bool wait_turn(const Task& task, const std::atomic<bool>& stop);

    // The lane is done with the task. `deferred`: the row asks for its second round.
    void finish(const Task& task, bool deferred);

    // Rows handed out that have not finished (tests and the progress line).
    std::size_t in_flight() const;
    std::size_t open_batches() const;

  private:
    struct OpenBatch {
        ScheduledBatch batch;
        std::size_t next = 0;             // first-round rows handed out so far
        std::vector<std::size_t> second;  // rows deferred to the second round
        std::size_t second_next = 0;
        bool second_round = false;
        std::size_t in_flight = 0;
    };
    struct KeyQueue {
        std::deque<std::uint64_t> tickets;  // the front one may execute
    };

    std::optional<Task> take_locked(OpenBatch& open);
    Task make_task_locked(OpenBatch& open, std::size_t row_index, bool may_defer);
    void close_finished_locked();

    const std::size_t m_max_open;
    ReadBatch m_read;
    KeyOf m_key_of;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::list<OpenBatch> m_open;  // oldest first; stable addresses for Task::slot
    bool m_input_done = false;
    std::size_t m_in_flight = 0;
    std::uint64_t m_next_ticket = 1;
    std::unordered_map<std::string, KeyQueue> m_keys;
};

}  // namespace wxbatch::engine
