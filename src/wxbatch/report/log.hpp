#pragma once
// Diagnostics for the operator: one record per event, on stderr (and optionally a log file),
// as text ("wxbatch: warning: row 12 ...") or as JSON lines. Results never go here: they go to
// stdout. Every string is masked by redact_emails() unless PII redaction is turned off; the
// token is never handed to the logger in the first place.

#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "wxbatch/util/clock.hpp"

namespace wxbatch::report {

enum class LogLevel { Debug, Info, Warning, Error };
enum class LogFormat { Text, Json };

const char* to_string(LogLevel level);

// A structured value attached to a record (a JSON field; in text, the caller's message says it).
struct LogField {
    std::string key;
    std::variant<std::string, std::int64_t> value;
};

struct LogRecord {
    LogLevel level = LogLevel::Info;
    std::string event;    // a stable machine name, e.g. "row_error"
    std::string message;  // the human sentence
    std::vector<LogField> fields;
};

struct LogSettings {
    LogFormat format = LogFormat::Text;
    LogLevel min_level = LogLevel::Info;
    bool redact_pii = true;
};

// The level for `-q` (quiet) and `-v` counts: quiet -> Error, 0 -> Info, 1+ -> Debug.
LogLevel level_for(bool quiet, int verbosity);

// One record as one line without the line end: text "wxbatch: <level>: <message>", or a JSON
// object {"ts", "level", "event", "msg", fields...} with `now` as ts.
std::string format_log_line(const LogRecord& record, const LogSettings& settings, WallTime now);

class Logger {
  public:
    // Writes to `console` (may be null: no console) and, when `file_path` is not empty, appends
    // to that file. `console_is_tty` clears the progress line before each record. Throws
    // std::runtime_error when the file cannot be opened.
    Logger(LogSettings settings, std::ostream* console, bool console_is_tty,
           const std::string& file_path = "");

    bool enabled(LogLevel level) const { return level >= m_settings.min_level; }
    const LogSettings& settings() const { return m_settings; }
    // Thread-safe; drops records below the minimum level.
    void log(const LogRecord& record, WallTime now);

  private:
    LogSettings m_settings;
    std::ostream* m_console;
    bool m_console_is_tty;
    std::ofstream m_file;
    std::mutex m_mutex;
};

// The process logger: text on std::cerr at Info until set_process_logger() replaces it.
Logger& process_logger();
void set_process_logger(std::unique_ptr<Logger> logger);

// Shorthand: logs to the process logger with the system wall clock.
void log(LogLevel level, std::string event, std::string message, std::vector<LogField> fields = {});

}  // namespace wxbatch::report
