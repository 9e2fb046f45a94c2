#pragma once
// One data row of the input CSV as the reader hands it on.

#include <cstdint>
#include <string>
#include <vector>

namespace wxbatch::csv {

struct RowRecord {
    std::uint64_t row_number = 0;  // 1 = the first data row after the header
    std::uint64_t line_number =
        0;  // physical line in the file where the record starts (header = 1)
    std::uint64_t byte_offset =
        0;  // offset in the file where the record starts (for seek on resume)
    std::uint64_t next_offset = 0;  // offset just past the record (where the next one starts)
    // Physical line at next_offset: with next_offset and row_number + 1 it is what
    // CsvReader::seek needs to resume after this record.
    std::uint64_t next_line_number = 0;
    std::vector<std::string> fields;
};

}  // namespace wxbatch::csv
