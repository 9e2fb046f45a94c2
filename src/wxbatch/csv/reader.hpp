#pragma once
// The streaming RFC 4180 reader: constant memory (one fixed read buffer), quoted fields with
// delimiters, doubled quotes and line breaks, CRLF/LF/CR line ends (mixed allowed), a UTF-8
// byte order mark skipped, blank lines skipped. Every record carries its row number, the
// physical line where it starts and its byte offsets, so a resumed run seeks instead of
// re-parsing. Errors name the file, line and column: `input.csv:12:7: ...`.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wxbatch/csv/byte_source.hpp"
#include "wxbatch/csv/row_record.hpp"
#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"

namespace wxbatch::csv {

struct CsvOptions {
    char delimiter = ',';
    std::size_t max_field_bytes = std::size_t{1} << 20;  // a longer field is an error
    std::size_t buffer_bytes = std::size_t{64} << 10;    // the fixed read buffer
};

class CsvReader {
  public:
    // Opens the file and reads its header. Fails on an unreadable file, an empty file, a
    // malformed header (blank or duplicate names, names compared case-insensitively) or a header
    // that looks semicolon-delimited while the delimiter is not ';'. Throws UsageError for a
    // delimiter that cannot work (a quote, CR, LF or NUL).
    static Expected<CsvReader, Error> open(const std::string& path, CsvOptions options);

    // The header names, trimmed of surrounding spaces and tabs.
    const std::vector<std::string>& header() const { return m_header; }

    // The next data record, or nullopt at the end of the file. A record whose field count
    // differs from the header's is returned as it is (the action reports it as a row error).
    // Errors (unterminated quote, invalid UTF-8, NUL byte, oversized field, I/O) are final:
    // later calls return the same error until a seek().
    Expected<std::optional<RowRecord>, Error> next();

    // Positions the reader at `byte_offset` (a record's start, typically a previous record's
    // next_offset) so that the record read there gets `row_number` and the physical line at
    // that offset is `line_number` (a previous record's next_line_number). Nothing is re-parsed.
    Expected<void, Error> seek(std::uint64_t byte_offset, std::uint64_t row_number,
                               std::uint64_t line_number);

    // The offset just past the header record: where the first data record starts.
    std::uint64_t header_end_offset() const { return m_header_end_offset; }
    // The physical line at header_end_offset().
    std::uint64_t header_end_line() const { return m_header_end_line; }

  private:
    enum class FieldState { Start, Unquoted, Quoted, AfterQuote };

    CsvReader(ByteSource source, std::string path, CsvOptions options);
    Expected<void, Error> read_header();
    // Reads one record into m_fields; false at end of file.
    Expected<bool, Error> read_record();
    Expected<bool, Error> skip_blank_lines();
    Expected<int, Error> peek();
    void consume(int byte);
    Expected<void, Error> consume_newline(int byte);
    Expected<void, Error> finish_field();
    Expected<void, Error> append(int byte);
    // Appends a byte of a quoted field, keeping and counting quoted line breaks.
    Expected<void, Error> append_quoted(int byte);
    // Ends the current field at a delimiter, line break or end of file, consuming it; true when
    // the record ends there too.
    Expected<bool, Error> end_field(int byte);
    Error error_at(std::uint64_t line, std::uint64_t column, const std::string& message) const;

    ByteSource m_source;
    std::string m_path;
    CsvOptions m_options;
    std::vector<std::string> m_header;
    std::vector<std::string> m_fields;
    std::string m_field;
    std::uint64_t m_line = 1;
    std::uint64_t m_column = 1;
    std::uint64_t m_field_line = 1;  // where the current field's content starts
    std::uint64_t m_field_column = 1;
    std::uint64_t m_record_offset = 0;
    std::uint64_t m_record_line = 1;
    std::uint64_t m_next_row = 1;
    std::uint64_t m_header_end_offset = 0;
    std::uint64_t m_header_end_line = 1;
    std::optional<Error> m_failure;  // the error that ended reading
};

}  // namespace wxbatch::csv
