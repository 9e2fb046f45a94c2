#include "wxbatch/engine/row_scheduler.hpp"

#include <algorithm>
#include <chrono>

namespace wxbatch::engine {

namespace {

// Waiting lanes re-check the stop flag at least this often.
constexpr auto k_stop_poll = std::chrono::milliseconds(50);

bool stopping(const std::atomic<bool>& stop) {
    return stop.load(std::memory_order_acquire);
}

}  // namespace

RowScheduler::RowScheduler(std::size_t max_open_batches, ReadBatch read, KeyOf key_of)
    : m_max_open(std::max<std::size_t>(1, max_open_batches)),
      m_read(std::move(read)),
      m_key_of(std::move(key_of)) {}

RowScheduler::Task RowScheduler::make_task_locked(OpenBatch& open, std::size_t row_index,
                                                  bool may_defer) {
    Task task;
    task.batch = open.batch.index;
    task.row = &open.batch.rows[row_index];
    task.may_defer = may_defer;
    task.key = m_key_of(*task.row);
    task.ticket = m_next_ticket++;
    task.slot = &open;
    m_keys[task.key].tickets.push_back(task.ticket);
    ++open.in_flight;
    ++m_in_flight;
    return task;
}

std::optional<RowScheduler::Task> RowScheduler::take_locked(OpenBatch& open) {
    if (!open.second_round) {
        if (open.next < open.batch.rows.size()) {
            return make_task_locked(open, open.next++, true);
        }
        if (open.in_flight > 0) {
            return std::nullopt;  // the second round starts when the first has finished
        }
        open.second_round = true;
    }
    if (open.second_next < open.second.size()) {
        return make_task_locked(open, open.second[open.second_next++], false);
    }
    return std::nullopt;
}

void RowScheduler::close_finished_locked() {
    m_open.remove_if([](const OpenBatch& open) {
        return open.second_round && open.in_flight == 0 && open.second_next == open.second.size();
    });
}

std::optional<RowScheduler::Task> RowScheduler::next(const std::atomic<bool>& stop) {
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (stopping(stop)) {
            return std::nullopt;
        }
        for (OpenBatch& open : m_open) {
            if (auto task = take_locked(open)) {
                return task;
            }
        }
        // A batch whose first round just ended with nothing deferred is finished.
        close_finished_locked();
        if (!m_input_done && m_open.size() < m_max_open) {
            ScheduledBatch batch;
            if (m_read(batch) && !batch.rows.empty()) {
                m_open.push_back(OpenBatch{std::move(batch), 0, {}, 0, false, 0});
                continue;
            }
            m_input_done = true;
        }
        if (m_input_done && m_open.empty()) {
            m_cv.notify_all();
            return std::nullopt;
        }
        m_cv.wait_for(lock, k_stop_poll);
    }
}

bool RowScheduler::wait_turn(const Task& task, const std::atomic<bool>& stop) {
    std::unique_lock lock(m_mutex);
    for (;;) {
        const auto it = m_keys.find(task.key);
        if (it != m_keys.end() && !it->second.tickets.empty() &&
            it->second.tickets.front() == task.ticket) {
            return true;
        }
        if (stopping(stop)) {
            return false;
        }
        m_cv.wait_for(lock, k_stop_poll);
    }
}

void RowScheduler::finish(const Task& task, bool deferred) {
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_keys.find(task.key); it != m_keys.end()) {
            auto& tickets = it->second.tickets;
            tickets.erase(std::remove(tickets.begin(), tickets.end(), task.ticket), tickets.end());
            if (tickets.empty()) {
                m_keys.erase(it);
            }
        }
        auto* open = static_cast<OpenBatch*>(task.slot);
        if (deferred && task.may_defer) {
            open->second.push_back(static_cast<std::size_t>(task.row - open->batch.rows.data()));
        }
        --open->in_flight;
        --m_in_flight;
        close_finished_locked();
    }
    m_cv.notify_all();
}

std::size_t RowScheduler::in_flight() const {
    std::lock_guard lock(m_mutex);
    return m_in_flight;
}

std::size_t RowScheduler::open_batches() const {
    std::lock_guard lock(m_mutex);
    return m_open.size();
}

}  // namespace wxbatch::engine
