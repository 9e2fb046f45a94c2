#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "wxbatch/engine/row_scheduler.hpp"

namespace wxbatch::engine {
namespace {

using namespace std::chrono_literals;

// Rows 1..n whose only field is their key; batches of `batch_size`.
struct Input {
    std::vector<std::string> keys;
    std::size_t batch_size = 2;
    std::size_t read = 0;
    std::int64_t batches = 0;

    bool operator()(ScheduledBatch& batch) {
        batch.rows.clear();
        while (read < keys.size() && batch.rows.size() < batch_size) {
            csv::RowRecord row;
            row.row_number = read + 1;
            row.fields = {keys[read]};
            batch.rows.push_back(std::move(row));
            ++read;
        }
        batch.index = batches++;
        return !batch.rows.empty();
    }
};

RowScheduler make(Input& input, std::size_t open) {
    return RowScheduler(
        open, [&input](ScheduledBatch& b) { return input(b); },
        [](const csv::RowRecord& row) { return row.fields[0]; });
}

TEST(RowScheduler, HandsRowsOutInInputOrderAndEndsWhenAllFinished) {
    Input input{{"a", "b", "c"}, 2};
    RowScheduler s = make(input, 1);
    std::atomic<bool> stop{false};
    std::vector<std::uint64_t> order;
    while (auto task = s.next(stop)) {
        ASSERT_TRUE(s.wait_turn(*task, stop));
        order.push_back(task->row->row_number);
        EXPECT_EQ(task->batch, static_cast<std::int64_t>((task->row->row_number - 1) / 2));
        EXPECT_TRUE(task->may_defer);
        s.finish(*task, false);
    }
    EXPECT_EQ(order, (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(s.in_flight(), 0u);
    EXPECT_EQ(s.open_batches(), 0u);
}

TEST(RowScheduler, OpensAtMostMaxOpenBatchesAndReadsLazily) {
    Input input{{"a", "b", "c", "d", "e", "f"}, 2};
    RowScheduler s = make(input, 2);
    std::atomic<bool> stop{false};
    std::vector<RowScheduler::Task> out;
    for (int i = 0; i < 4; ++i) {
        auto task = s.next(stop);
        ASSERT_TRUE(task);
        out.push_back(*task);
    }
    EXPECT_EQ(input.read, 4u);  // two batches read, the third not yet
    EXPECT_EQ(s.open_batches(), 2u);
    // A fifth row waits for a batch to close; finishing batch 0 lets batch 2 open.
    auto fifth = std::async(std::launch::async, [&] { return s.next(stop); });
    EXPECT_EQ(fifth.wait_for(30ms), std::future_status::timeout);
    s.finish(out[0], false);
    EXPECT_EQ(fifth.wait_for(30ms), std::future_status::timeout);  // row 2 still in flight
    s.finish(out[1], false);
    auto task = fifth.get();
    ASSERT_TRUE(task);
    EXPECT_EQ(task->row->row_number, 5u);
    EXPECT_EQ(task->batch, 2);
}

TEST(RowScheduler, SecondRoundWaitsForTheFirstRoundToFinish) {
    Input input{{"a", "b", "c", "d"}, 2};
    RowScheduler s = make(input, 1);
    std::atomic<bool> stop{false};
    auto r1 = s.next(stop);
    auto r2 = s.next(stop);
    ASSERT_TRUE(r1 && r2);
    s.finish(*r1, true);
    auto next = std::async(std::launch::async, [&] { return s.next(stop); });
    EXPECT_EQ(next.wait_for(30ms), std::future_status::timeout);  // row 2 in flight
    s.finish(*r2, false);
    auto second = next.get();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->row->row_number, 1u);
    EXPECT_FALSE(second->may_defer);
    s.finish(*second, true);  // a second-round row is never deferred again
    auto r3 = s.next(stop);
    ASSERT_TRUE(r3);
    EXPECT_EQ(r3->row->row_number, 3u);
    EXPECT_EQ(r3->batch, 1);
}

TEST(RowScheduler, RowsWithTheSameKeyRunOneAtATimeInInputOrder) {
    Input input{{"k", "x", "k", "k"}, 4};
    RowScheduler s = make(input, 1);
    std::atomic<bool> stop{false};
    auto r1 = s.next(stop);
    auto r2 = s.next(stop);
    auto r3 = s.next(stop);
    auto r4 = s.next(stop);
    ASSERT_TRUE(r1 && r2 && r3 && r4);
    EXPECT_TRUE(s.wait_turn(*r1, stop));
    EXPECT_TRUE(s.wait_turn(*r2, stop));  // another key: no wait
    auto turn4 = std::async(std::launch::async, [&] { return s.wait_turn(*r4, stop); });
    auto turn3 = std::async(std::launch::async, [&] { return s.wait_turn(*r3, stop); });
    EXPECT_EQ(turn3.wait_for(30ms), std::future_status::timeout);
    s.finish(*r1, false);
    EXPECT_TRUE(turn3.get());  // row 3 before row 4
    EXPECT_EQ(turn4.wait_for(30ms), std::future_status::timeout);
    s.finish(*r3, false);
    EXPECT_TRUE(turn4.get());
    s.finish(*r2, false);
    s.finish(*r4, false);
    EXPECT_FALSE(s.next(stop));
}

TEST(RowScheduler, StopReleasesWaitersAndHandsNothingMore) {
    Input input{{"k", "k", "z"}, 3};
    RowScheduler s = make(input, 1);
    std::atomic<bool> stop{false};
    auto r1 = s.next(stop);
    auto r2 = s.next(stop);
    ASSERT_TRUE(r1 && r2);
    ASSERT_TRUE(s.wait_turn(*r1, stop));
    auto turn2 = std::async(std::launch::async, [&] { return s.wait_turn(*r2, stop); });
    stop = true;
    EXPECT_FALSE(turn2.get());
    s.finish(*r2, false);  // abandoned: its ticket leaves the queue
    EXPECT_FALSE(s.next(stop));
    s.finish(*r1, false);
    EXPECT_EQ(s.in_flight(), 0u);
}

}  // namespace
}  // namespace wxbatch::engine
