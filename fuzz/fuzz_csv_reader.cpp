// Fuzzes csv::CsvReader over a real file (the reader's interface is a path): the first byte
// picks the delimiter and the read-buffer size, the rest is the file. Properties: records come
// in order with increasing offsets and lines, and seeking to any record re-reads it identically
// (what a resumed run relies on).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_file.hpp"
#include "wxbatch/csv/reader.hpp"

namespace {

// Static: one file for the process, removed at exit.
const wxfuzz::ScratchFile g_input("csv", ".csv");

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1 || !g_input.write(data + 1, size - 1)) {
        return 0;
    }
    wxbatch::csv::CsvOptions options;
    options.delimiter = (data[0] & 1U) != 0 ? ';' : ',';
    options.buffer_bytes = 1 + (data[0] >> 1) % 64;  // small buffers cross refill boundaries
    options.max_field_bytes = 256;
    auto reader = wxbatch::csv::CsvReader::open(g_input.path(), options);
    if (!reader) {
        WXFUZZ_CHECK(!reader.error().message.empty());
        return 0;
    }
    WXFUZZ_CHECK(!reader->header().empty());
    std::vector<wxbatch::csv::RowRecord> rows;
    std::uint64_t offset = reader->header_end_offset();
    std::uint64_t line = reader->header_end_line();
    for (;;) {
        auto next = reader->next();
        if (!next) {
            WXFUZZ_CHECK(!next.error().message.empty());
            break;
        }
        if (!next->has_value()) {
            break;
        }
        const wxbatch::csv::RowRecord& row = **next;
        WXFUZZ_CHECK(row.row_number == rows.size() + 1);
        WXFUZZ_CHECK(row.byte_offset >= offset && row.next_offset > row.byte_offset);
        WXFUZZ_CHECK(row.line_number >= line && row.next_line_number >= row.line_number);
        WXFUZZ_CHECK(row.next_offset <= size - 1);
        offset = row.next_offset;
        line = row.next_line_number;
        rows.push_back(row);
    }
    for (const auto& row : rows) {
        WXFUZZ_CHECK(reader->seek(row.byte_offset, row.row_number, row.line_number).has_value());
        auto again = reader->next();
        WXFUZZ_CHECK(again.has_value() && again->has_value());
        WXFUZZ_CHECK((*again)->fields == row.fields);
        WXFUZZ_CHECK((*again)->next_offset == row.next_offset);
        WXFUZZ_CHECK((*again)->next_line_number == row.next_line_number);
    }
    return 0;
}
