// The operator's diagnostics: text and JSON lines, levels, PII masking, the log file.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "wxbatch/report/log.hpp"

namespace wxbatch::report {
namespace {

LogRecord row_error() {
    return LogRecord{LogLevel::Warning,
                     "row_error",
                     "row 12 (line 13): ROW_ERROR_NON_RETRYABLE 409: alice@example.com exists "
                     "[trackingId ROUTER_1]",
                     {LogField{"row", std::int64_t{12}}, LogField{"http_status", std::int64_t{409}},
                      LogField{"message", std::string("alice@example.com exists")},
                      LogField{"tracking_id", std::string("ROUTER_1")}}};
}

WallTime noon() {
    return WallTime{} + std::chrono::seconds(1795521600);  // 2026-11-24T12:00:00Z
}

TEST(LogFormat, TextLineHasLevelAndMaskedMessage) {
    EXPECT_EQ(format_log_line(row_error(), LogSettings{}, noon()),
              "wxbatch: warning: row 12 (line 13): ROW_ERROR_NON_RETRYABLE 409: "
              "a***@example.com exists [trackingId ROUTER_1]");
}

TEST(LogFormat, JsonLineHasTimestampEventAndTypedFields) {
    LogSettings settings;
    settings.format = LogFormat::Json;
    const std::string line = format_log_line(row_error(), settings, noon());
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const auto doc = nlohmann::json::parse(line);
    EXPECT_EQ(doc["ts"], "2026-11-24T12:00:00Z");
    EXPECT_EQ(doc["level"], "warning");
    EXPECT_EQ(doc["event"], "row_error");
    EXPECT_EQ(doc["row"], 12);
    EXPECT_EQ(doc["http_status"], 409);
    EXPECT_EQ(doc["message"], "a***@example.com exists");
    EXPECT_EQ(doc["tracking_id"], "ROUTER_1");
    EXPECT_EQ(line.find("alice"), std::string::npos);
}

TEST(LogFormat, RedactionCanBeTurnedOff) {
    LogSettings settings;
    settings.redact_pii = false;
    EXPECT_NE(format_log_line(row_error(), settings, noon()).find("alice@example.com"),
              std::string::npos);
    settings.format = LogFormat::Json;
    EXPECT_EQ(nlohmann::json::parse(format_log_line(row_error(), settings, noon()))["message"],
              "alice@example.com exists");
}

TEST(LogLevels, QuietAndVerbose) {
    EXPECT_EQ(level_for(false, 0), LogLevel::Info);
    EXPECT_EQ(level_for(false, 2), LogLevel::Debug);
    EXPECT_EQ(level_for(true, 2), LogLevel::Error);
}

TEST(Logger, DropsRecordsBelowTheLevelAndWritesConsoleAndFile) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("wxbatch-log-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(path);
    std::ostringstream console;
    {
        LogSettings settings;
        settings.min_level = LogLevel::Error;
        Logger logger(settings, &console, false, path.string());
        logger.log(row_error(), noon());
        logger.log(LogRecord{LogLevel::Error, "write_failed", "disk full", {}}, noon());
    }
    EXPECT_EQ(console.str(), "wxbatch: error: disk full\n");
    std::ifstream in(path);
    std::stringstream file;
    file << in.rdbuf();
    EXPECT_EQ(file.str(), "wxbatch: error: disk full\n");
    std::filesystem::remove(path);
}

TEST(Logger, OnATtyClearsTheProgressLineFirst) {
    std::ostringstream console;
    Logger logger(LogSettings{}, &console, true);
    logger.log(LogRecord{LogLevel::Info, "x", "hello", {}}, noon());
    EXPECT_EQ(console.str(), "\r\x1b[2Kwxbatch: info: hello\n");
}

TEST(Logger, UnopenableFileThrows) {
    EXPECT_THROW(Logger(LogSettings{}, nullptr, false, "/nonexistent-dir-wxbatch/x.log"),
                 std::runtime_error);
}

}  // namespace
}  // namespace wxbatch::report
