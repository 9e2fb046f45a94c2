#include "wxbatch/report/log.hpp"

#include <iostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "wxbatch/report/redact.hpp"
#include "wxbatch/util/iso_time.hpp"

namespace wxbatch::report {

const char* to_string(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return "debug";
        case LogLevel::Info:
            return "info";
        case LogLevel::Warning:
            return "warning";
        case LogLevel::Error:
            return "error";
    }
    return "info";
}

LogLevel level_for(bool quiet, int verbosity) {
    if (quiet) {
        return LogLevel::Error;
    }
    return verbosity > 0 ? LogLevel::Debug : LogLevel::Info;
}

namespace {

std::string masked(const std::string& text, const LogSettings& settings) {
    return settings.redact_pii ? redact_emails(text) : text;
}

}  // namespace

std::string format_log_line(const LogRecord& record, const LogSettings& settings, WallTime now) {
    if (settings.format == LogFormat::Text) {
        return std::string("wxbatch: ") + to_string(record.level) + ": " +
               masked(record.message, settings);
    }
    nlohmann::ordered_json doc;
    doc["ts"] = iso8601_utc(now);
    doc["level"] = to_string(record.level);
    doc["event"] = record.event;
    doc["msg"] = masked(record.message, settings);
    for (const LogField& field : record.fields) {
        if (const auto* text = std::get_if<std::string>(&field.value)) {
            doc[field.key] = masked(*text, settings);
        } else {
            doc[field.key] = std::get<std::int64_t>(field.value);
        }
    }
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Logger::Logger(LogSettings settings, std::ostream* console, bool console_is_tty,
               const std::string& file_path)
    : m_settings(settings), m_console(console), m_console_is_tty(console_is_tty) {
    if (!file_path.empty()) {
        m_file.open(file_path, std::ios::app);
        if (!m_file) {
            throw std::runtime_error("cannot open the log file " + file_path);
        }
    }
}

void Logger::log(const LogRecord& record, WallTime now) {
    if (!enabled(record.level)) {
        return;
    }
    const std::string line = format_log_line(record, m_settings, now);
    std::lock_guard lock(m_mutex);
    if (m_console != nullptr) {
        if (m_console_is_tty) {
            *m_console << "\r\x1b[2K";  // the progress line is redrawn at its next tick
        }
        *m_console << line << '\n';
        m_console->flush();
    }
    if (m_file.is_open()) {
        m_file << line << '\n';
        m_file.flush();
    }
}

namespace {

std::mutex g_process_logger_mutex;
std::unique_ptr<Logger> g_process_logger;

}  // namespace

Logger& process_logger() {
    std::lock_guard lock(g_process_logger_mutex);
    if (!g_process_logger) {
        g_process_logger = std::make_unique<Logger>(LogSettings{}, &std::cerr, false);
    }
    return *g_process_logger;
}

void set_process_logger(std::unique_ptr<Logger> logger) {
    std::lock_guard lock(g_process_logger_mutex);
    g_process_logger = std::move(logger);
}

void log(LogLevel level, std::string event, std::string message, std::vector<LogField> fields) {
    Logger& logger = process_logger();
    if (!logger.enabled(level)) {
        return;
    }
    logger.log(LogRecord{level, std::move(event), std::move(message), std::move(fields)},
               std::chrono::system_clock::now());
}

}  // namespace wxbatch::report
