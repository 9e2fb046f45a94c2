#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "wxbatch/cli/settings_cli.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {
namespace {

namespace fs = std::filesystem;

class ConfigFile : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("wxbatch-config-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string write(const std::string& text) {
        const fs::path p = m_dir / "c.toml";
        std::ofstream(p) << text;
        return p.string();
    }
    fs::path m_dir;
};

TEST_F(ConfigFile, ExampleFileInTheRepoLoads) {
    engine::RunOptions o;
    apply_config_file(std::string(WXBATCH_TEST_FIXTURES) + "/../../docs/wxbatch.example.toml", o);
    EXPECT_EQ(o.action, "people.create");
    EXPECT_EQ(o.batch_size, 200u);
    EXPECT_EQ(o.resilience.retry.max_attempts, 5);
    EXPECT_DOUBLE_EQ(o.resilience.breaker.open_s, 45.0);
    EXPECT_DOUBLE_EQ(o.resilience.breaker.max_open_total_s, 600.0);
}

TEST_F(ConfigFile, ProfileAppliesBeforeIndividualOverrides) {
    engine::RunOptions o;
    apply_config_file(write("retry_max_attempts = 7\nretry_profile = \"conservative\"\n"), o);
    EXPECT_EQ(o.resilience.retry.max_attempts, 7);          // the override wins
    EXPECT_DOUBLE_EQ(o.resilience.retry.base_delay_s, 2.0);  // the rest from the profile
}

TEST_F(ConfigFile, UnknownKeyNamesFileLineAndColumn) {
    engine::RunOptions o;
    const std::string path = write("batch_size = 10\nbatch_szie = 20\n");
    try {
        apply_config_file(path, o);
        FAIL() << "expected a UsageError";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find(path + ":2:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("batch_szie"), std::string::npos) << e.what();
    }
}

TEST_F(ConfigFile, PacingAndInflightRequestsKeys) {
    engine::RunOptions o;
    apply_config_file(write("pacing = false\npacing_initial_rate = 250\n"
                            "max_inflight_batches = 4\nmax_inflight_requests = 24\n"),
                      o);
    EXPECT_FALSE(o.resilience.pacing.enabled);
    EXPECT_DOUBLE_EQ(o.resilience.pacing.initial_rate, 250);
    EXPECT_EQ(o.max_inflight_batches, 4);
    EXPECT_EQ(o.max_inflight_requests, 24);
    EXPECT_EQ(engine::effective_inflight_requests(o), 24);
    engine::RunOptions d;
    EXPECT_EQ(engine::effective_inflight_requests(d), 1);  // default: one per batch
}

// A value refused by its own check (not by its type) is located like a type error: found by
// the config fuzz target.
TEST_F(ConfigFile, AnUnknownRetryProfileNamesFileLineAndColumn) {
    engine::RunOptions o;
    const std::string path = write("batch_size = 10\nretry_profile = \"bogus\"\n");
    try {
        apply_config_file(path, o);
        FAIL() << "accepted an unknown profile";
    } catch (const UsageError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ":2:17: unknown retry profile 'bogus'", 0),
                  0u)
            << e.what();
    }
}

TEST_F(ConfigFile, WrongTypeAndTokenAreRefused) {
    engine::RunOptions o;
    EXPECT_THROW(apply_config_file(write("batch_size = \"many\"\n"), o), UsageError);
    EXPECT_THROW(apply_config_file(write("token = \"abc\"\n"), o), UsageError);
    EXPECT_THROW(apply_config_file(write("batch_size = [\n"), o), UsageError);
}

}  // namespace
}  // namespace wxbatch::cli
