#include "wxbatch/engine/batch_tracker.hpp"

#include <stdexcept>

namespace wxbatch::engine {

RowCounts& RowCounts::operator+=(const RowCounts& other) {
    processed += other.processed;
    success += other.success;
    already_done += other.already_done;
    row_errors += other.row_errors;
    return *this;
}

void BatchTracker::open(std::int64_t index, std::uint64_t rows, InputPosition next) {
    if (index <= m_watermark || m_open.count(index) != 0) {
        throw std::logic_error("batch opened twice");
    }
    m_open[index] = Open{rows, next, RowCounts{}};
}

void BatchTracker::record(std::int64_t index, RowResult result) {
    auto it = m_open.find(index);
    if (it == m_open.end()) {
        throw std::logic_error("outcome recorded for a batch that is not open");
    }
    RowCounts& c = it->second.counts;
    ++c.processed;
    switch (result) {
        case RowResult::Success:
            ++c.success;
            break;
        case RowResult::AlreadyDone:
            ++c.already_done;
            break;
        case RowResult::RowError:
            ++c.row_errors;
            break;
    }
}

std::vector<ConfirmedBatch> BatchTracker::take_confirmed() {
    std::vector<ConfirmedBatch> confirmed;
    while (!m_open.empty()) {
        auto it = m_open.begin();
        if (it->first != m_watermark + 1 || it->second.counts.processed < it->second.rows) {
            break;
        }
        confirmed.push_back(ConfirmedBatch{it->first, it->second.next, it->second.counts});
        m_watermark = it->first;
        m_open.erase(it);
    }
    return confirmed;
}

}  // namespace wxbatch::engine
