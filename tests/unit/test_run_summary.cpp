#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "wxbatch/report/latency_histogram.hpp"
#include "wxbatch/report/run_summary.hpp"

namespace wxbatch::report {
namespace {

namespace fs = std::filesystem;
using H = LatencyHistogram;

TEST(LatencyHistogram, ExactBuckets) {
    EXPECT_EQ(H::k_bucket_count, 1152U);
    EXPECT_EQ(H::bucket_index(0), 0U);
    EXPECT_EQ(H::bucket_index(63), 63U);
    EXPECT_EQ(H::bucket_index(64), 64U);
    EXPECT_EQ(H::bucket_index(65), 64U);
    EXPECT_EQ(H::bucket_index(66), 65U);
    EXPECT_EQ(H::bucket_index(127), 95U);
    EXPECT_EQ(H::bucket_index(128), 96U);
    EXPECT_EQ(H::bucket_index(131), 96U);
    EXPECT_EQ(H::bucket_index(132), 97U);
    EXPECT_EQ(H::bucket_index(1000), 190U);
    EXPECT_EQ(H::bucket_lower_us(190), 992U);
    EXPECT_EQ(H::bucket_width_us(190), 16U);
    EXPECT_EQ(H::bucket_index((std::uint64_t{1} << 40) - 1), 1151U);
    EXPECT_EQ(H::bucket_index(std::uint64_t{1} << 40), 1151U);
    EXPECT_EQ(H::bucket_index(UINT64_MAX), 1151U);
}

TEST(LatencyHistogram, BucketsTileTheRangeWithoutGaps) {
    for (std::size_t i = 0; i + 1 < H::k_bucket_count; ++i) {
        const auto lower = H::bucket_lower_us(i);
        const auto width = H::bucket_width_us(i);
        ASSERT_EQ(H::bucket_index(lower), i);
        ASSERT_EQ(H::bucket_index(lower + width - 1), i);
        ASSERT_EQ(H::bucket_lower_us(i + 1), lower + width);
        // A bucket is at most 1/32 of its lower bound wide (above the exact range).
        if (i >= 64) {
            ASSERT_LE(width * 32, lower) << i;
        }
    }
}

TEST(LatencyHistogram, ExactPercentilesOfOneToThousandMs) {
    H h;
    for (int ms = 1; ms <= 1000; ++ms) {
        h.record_ms(ms);
    }
    const LatencyPercentiles p = h.percentiles();
    EXPECT_EQ(p.count, 1000U);
    EXPECT_DOUBLE_EQ(p.p50_ms, 503.8075);  // bucket [499712, 507903] µs
    EXPECT_DOUBLE_EQ(p.p90_ms, 892.9275);  // bucket [884736, 901119] µs
    EXPECT_DOUBLE_EQ(p.p99_ms, 991.2315);  // bucket [983040, 999423] µs
    EXPECT_DOUBLE_EQ(p.max_ms, 1000.0);
    EXPECT_DOUBLE_EQ(h.percentile_ms(100), 1000.0);  // the midpoint is clamped to the max
    EXPECT_DOUBLE_EQ(h.percentile_ms(0), 1.0);       // the midpoint 0.9995 is clamped to the min
}

TEST(LatencyHistogram, SmallValuesAreExact) {
    H h;
    h.record_ms(0.05);
    h.record_ms(-3);
    EXPECT_EQ(h.bucket_count_at(50), 1U);
    EXPECT_EQ(h.bucket_count_at(0), 1U);
    EXPECT_DOUBLE_EQ(h.percentile_ms(100), 0.05);
    EXPECT_DOUBLE_EQ(h.percentile_ms(50), 0.0);
}

TEST(LatencyHistogram, WithinTwoPercentOfTheExactPercentile) {
    std::mt19937_64 engine(42);
    std::lognormal_distribution<double> latency(std::log(120.0), 0.8);
    std::vector<double> values;
    H h;
    for (int i = 0; i < 20000; ++i) {
        const double ms = std::round(latency(engine) * 1000.0) / 1000.0;
        values.push_back(ms);
        h.record_ms(ms);
    }
    std::sort(values.begin(), values.end());
    for (const double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9}) {
        const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * 20000.0));
        const double exact = values[rank - 1];
        EXPECT_NEAR(h.percentile_ms(p), exact, exact * 0.02) << "p" << p;
    }
}

TEST(LatencyHistogram, EmptyIsZero) {
    const LatencyPercentiles p = H().percentiles();
    EXPECT_EQ(p.count, 0U);
    EXPECT_EQ(p.p50_ms, 0.0);
    EXPECT_EQ(p.max_ms, 0.0);
}

TEST(LatencyHistogram, MergesAndRecordsFromManyThreads) {
    H total;
    {
        std::vector<H> parts(4);
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < parts.size(); ++t) {
            workers.emplace_back([&parts, &total, t] {
                for (int i = 0; i < 5000; ++i) {
                    parts[t].record_us(static_cast<std::uint64_t>(i));
                    total.record_us(static_cast<std::uint64_t>(i));
                }
            });
        }
        workers.clear();
        H merged;
        for (const auto& part : parts) {
            merged.merge(part);
        }
        EXPECT_EQ(merged.count(), 20000U);
        EXPECT_EQ(merged.bucket_count_at(10), 4U);
        EXPECT_DOUBLE_EQ(merged.percentile_ms(100), 4.999);
    }
    EXPECT_EQ(total.count(), 20000U);
    EXPECT_EQ(total.bucket_count_at(63), 4U);
    const H copy = total;
    EXPECT_EQ(copy.count(), 20000U);
}

RunSummary sample() {
    RunSummary s;
    s.run_id = "20261124T203459Z-3f9a1c";
    s.action = "people.create";
    s.input = {"users.csv", 2048, std::string(64, 'b'), {"email", "displayName"}};
    s.state = "COMPLETED_WITH_ROW_ERRORS";
    s.started_at = "2026-11-24T20:00:00Z";
    s.finished_at = "2026-11-24T20:10:00Z";
    s.duration_s = 600.0004;
    s.totals = {21000, 21000, 20900, 50, 50, 0};
    s.retries.total = 7;
    s.retries.by_cause = {{"429", 5}, {"timeout", 2}};
    s.rate_limit_waits = {5, 12.5};
    s.rate_pacing = {{"rate", 480.0}, {"decreases", 2}};
    s.breaker = {1, 1, 1, 45.25};
    s.resumes = 2;
    s.throughput_rows_per_s = 35.0;
    s.configuration = {{"batch_size", 200}};
    H overall;
    overall.record_ms(10);
    s.latency = overall.percentiles();
    H lookup;
    lookup.record_ms(5);
    s.endpoints["POST /people"] = {3, 2, {{"200", 1}, {"429", 2}}, overall.percentiles()};
    s.endpoints["GET /people"] = {1, 0, {{"200", 1}}, lookup.percentiles()};
    return s;
}

TEST(RunSummary, ExactDocument) {
    const auto expected = nlohmann::json::parse(R"({
      "schema_version": 1, "run_id": "20261124T203459Z-3f9a1c", "action": "people.create",
      "input": {"path": "users.csv", "size": 2048,
                "sha256": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                "header": ["email", "displayName"]},
      "state": "COMPLETED_WITH_ROW_ERRORS", "reason": "",
      "started_at": "2026-11-24T20:00:00Z", "finished_at": "2026-11-24T20:10:00Z",
      "duration_s": 600.0,
      "totals": {"read": 21000, "processed": 21000, "success": 20900, "already_done": 50,
                 "row_errors": 50, "systemic_errors": 0},
      "retries": {"total": 7, "by_cause": {"429": 5, "timeout": 2}},
      "rate_limit_waits": {"count": 5, "seconds": 12.5},
      "breaker": {"opens": 1, "half_opens": 1, "closes": 1, "seconds_open": 45.25},
      "rate_pacing": {"rate": 480.0, "decreases": 2},
      "resumes": 2, "throughput_rows_per_s": 35.0,
      "latency_ms": {"count": 1, "p50_ms": 10.0, "p90_ms": 10.0, "p99_ms": 10.0, "max_ms": 10.0,
                     "by_endpoint": {"GET /people": {"count": 1, "p50_ms": 5.0, "p90_ms": 5.0,
                                                     "p99_ms": 5.0, "max_ms": 5.0},
                                     "POST /people": {"count": 1, "p50_ms": 10.0, "p90_ms": 10.0,
                                                      "p99_ms": 10.0, "max_ms": 10.0}}},
      "performance": {"action": "people.create", "requests": 4, "retries": 2,
                      "latency_ms": {"count": 1, "p50_ms": 10.0, "p90_ms": 10.0, "p99_ms": 10.0,
                                     "max_ms": 10.0},
                      "by_endpoint": {
                        "GET /people": {"requests": 1, "retries": 0, "answers": {"200": 1},
                                        "latency_ms": {"count": 1, "p50_ms": 5.0, "p90_ms": 5.0,
                                                       "p99_ms": 5.0, "max_ms": 5.0}},
                        "POST /people": {"requests": 3, "retries": 2,
                                         "answers": {"200": 1, "429": 2},
                                         "latency_ms": {"count": 1, "p50_ms": 10.0, "p90_ms": 10.0,
                                                        "p99_ms": 10.0, "max_ms": 10.0}}}},
      "configuration": {"batch_size": 200}
    })");
    EXPECT_EQ(to_json(sample()), expected) << to_json(sample()).dump(2);
}

class RunSummaryFile : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "wxbatch-summary-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
    }
    void TearDown() override { fs::remove_all(m_dir); }
    nlohmann::json read_back() const {
        std::ifstream in(m_dir + "/run_summary.json");
        return nlohmann::json::parse(in);
    }
    std::string m_dir;
};

TEST_F(RunSummaryFile, WritesDurablyAndKeepsTheOldOneOnDiskFull) {
    RunSummary first = sample();
    ASSERT_TRUE(write_run_summary(m_dir, first));
    EXPECT_EQ(read_back(), to_json(first));
    FaultInjectingFileSystem full;
    full.fail(FsOp::Write, 1, ENOSPC);
    RunSummary second = sample();
    second.state = "COMPLETED";
    auto written = write_run_summary(m_dir, second, full);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().message,
              "cannot write " + m_dir + "/run_summary.json: No space left on device");
    EXPECT_EQ(read_back()["state"], "COMPLETED_WITH_ROW_ERRORS");
}

TEST_F(RunSummaryFile, LoadsForStatus) {
    auto absent = load_run_summary(m_dir);
    ASSERT_TRUE(absent);
    EXPECT_FALSE(absent->has_value());
    ASSERT_TRUE(write_run_summary(m_dir, sample()));
    auto loaded = load_run_summary(m_dir);
    ASSERT_TRUE(loaded && loaded->has_value());
    EXPECT_EQ(**loaded, to_json(sample()));
    std::ofstream(m_dir + "/run_summary.json", std::ios::trunc) << "{\"state\": \"COMPL";
    auto torn = load_run_summary(m_dir);
    ASSERT_FALSE(torn);
    EXPECT_EQ(torn.error().kind, ErrorKind::Corrupt);
    EXPECT_EQ(torn.error().message,
              m_dir + "/run_summary.json is corrupt: not a JSON object (truncated or damaged)");
}

}  // namespace
}  // namespace wxbatch::report
