// Fuzzes the row_errors.csv round trip: a failed row written by report::row_errors_line is read
// back by csv::CsvReader (what an operator does when feeding the fixed file back as --input).
// The first byte picks the number of original columns; the rest, split at 0x1F, gives the row's
// fields and, last, the error message. Fields are what the reader can produce (UTF-8, no NUL).
// Properties: the file reads as one record of the header's width; every original value comes
// back as it was (with the leading ' of a neutralised formula); the message stays on one line;
// count_row_error_records agrees.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_file.hpp"
#include "wxbatch/csv/reader.hpp"
#include "wxbatch/csv/utf8.hpp"
#include "wxbatch/report/csv_cell.hpp"
#include "wxbatch/report/row_errors_writer.hpp"

namespace {

const wxfuzz::ScratchFile g_file("row-errors", ".csv");

std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find('\x1f', start);
        parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    if (text.find('\0') != std::string_view::npos || wxbatch::csv::first_invalid_utf8(text)) {
        return 0;  // the reader never yields such fields
    }
    const std::size_t columns = 1 + data[0] % 4;
    std::vector<std::string> header;
    for (std::size_t i = 0; i < columns; ++i) {
        header.push_back("c" + std::to_string(i));
    }
    std::vector<std::string> parts = split(text);
    wxbatch::report::RowErrorRecord record;
    record.row_number = 7;
    record.line_number = 9;
    record.message = parts.back();
    parts.pop_back();
    record.fields = parts;
    record.error_class = "ROW_ERROR_NON_RETRYABLE";
    record.http_status = (data[0] & 0x10) != 0 ? 400 : 0;
    record.tracking_id = "WXBATCH_run_7_1";
    record.attempts = 1;
    const std::string file = wxbatch::report::row_errors_header_line(header) +
                             wxbatch::report::row_errors_line(record, columns);
    if (!g_file.write(file.data(), file.size())) {
        return 0;
    }

    auto reader = wxbatch::csv::CsvReader::open(g_file.path(), {});
    WXFUZZ_CHECK(reader.has_value());
    WXFUZZ_CHECK(reader->header().size() == columns + 7);
    auto row = reader->next();
    WXFUZZ_CHECK(row.has_value() && row->has_value());
    const std::vector<std::string>& fields = (*row)->fields;
    WXFUZZ_CHECK(fields.size() == columns + 7);
    WXFUZZ_CHECK(fields[0] == "7" && fields[1] == "9");
    for (std::size_t i = 0; i < columns; ++i) {
        std::string expected;
        if (i < record.fields.size()) {
            const std::string& value = record.fields[i];
            expected = wxbatch::report::looks_like_formula(value) ? "'" + value : value;
        }
        WXFUZZ_CHECK(fields[2 + i] == expected);
    }
    const std::string& message = fields[2 + columns + 2];
    WXFUZZ_CHECK(message.find_first_of("\r\n") == std::string::npos);
    auto end = reader->next();
    WXFUZZ_CHECK(end.has_value() && !end->has_value());
    auto counted = wxbatch::report::count_row_error_records(g_file.path());
    WXFUZZ_CHECK(counted.has_value() && *counted == 1);
    return 0;
}
