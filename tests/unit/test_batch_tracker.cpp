#include <gtest/gtest.h>

#include "wxbatch/engine/batch_tracker.hpp"

namespace wxbatch::engine {
namespace {

TEST(BatchTracker, WatermarkWaitsForContiguousBatches) {
    BatchTracker t;
    t.open(0, 2, InputPosition{100, 3, 4});
    t.open(1, 1, InputPosition{150, 4, 5});
    t.record(1, RowResult::Success);  // batch 1 done first
    EXPECT_TRUE(t.take_confirmed().empty());
    EXPECT_EQ(t.watermark(), -1);
    t.record(0, RowResult::RowError);
    EXPECT_TRUE(t.take_confirmed().empty());  // batch 0 still has a row in flight
    t.record(0, RowResult::AlreadyDone);
    auto confirmed = t.take_confirmed();
    ASSERT_EQ(confirmed.size(), 2u);
    EXPECT_EQ(confirmed[0].index, 0);
    EXPECT_EQ(confirmed[0].counts.processed, 2u);
    EXPECT_EQ(confirmed[0].counts.row_errors, 1u);
    EXPECT_EQ(confirmed[0].counts.already_done, 1u);
    EXPECT_EQ(confirmed[0].next.offset, 100u);
    EXPECT_EQ(confirmed[1].index, 1);
    EXPECT_EQ(confirmed[1].counts.success, 1u);
    EXPECT_EQ(confirmed[1].next.row, 4u);
    EXPECT_EQ(t.watermark(), 1);
    EXPECT_EQ(t.open_batches(), 0u);
}

TEST(BatchTracker, ResumesFromAGivenWatermark) {
    BatchTracker t(4);
    EXPECT_THROW(t.open(4, 1, {}), std::logic_error);
    t.open(5, 1, InputPosition{10, 7, 8});
    EXPECT_THROW(t.record(6, RowResult::Success), std::logic_error);
    t.record(5, RowResult::Success);
    auto confirmed = t.take_confirmed();
    ASSERT_EQ(confirmed.size(), 1u);
    EXPECT_EQ(t.watermark(), 5);
}

}  // namespace
}  // namespace wxbatch::engine
