#pragma once
// row_errors.csv: one line per failed row, written as the run goes (SPEC §3). Columns:
//   row_number,line_number,<original headers...>,error_class,http_status,message,tracking_id,
//   attempts
// so that the original columns, once fixed, can be fed back as --input. Cells are RFC 4180
// quoted, lines end in LF, and cells a spreadsheet would run as a formula get a leading '
// (see csv_cell.hpp and docs/state.md).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"
#include "wxbatch/util/file_system.hpp"

namespace wxbatch::report {

inline constexpr const char* k_row_errors_file = "row_errors.csv";

struct RowErrorRecord {
    std::uint64_t row_number = 0;
    std::uint64_t line_number = 0;
    std::vector<std::string> fields;  // the row's original columns, in input order
    std::string error_class;          // e.g. "ROW_ERROR_NON_RETRYABLE"
    int http_status = 0;              // 0 = no HTTP answer (an empty cell)
    std::string message;              // written on one line
    std::string tracking_id;
    int attempts = 0;
};

// The header line for `original_header`, with its LF.
std::string row_errors_header_line(const std::vector<std::string>& original_header);

// One record as a line, with its LF. A row with fewer fields than the header is padded with
// empty cells; a row with more keeps the extra values, as a JSON array of strings appended to
// the message ("... [extra fields beyond the header: [\"a\",\"b\"]]"), so that no original
// value is lost and the columns stay aligned.
std::string row_errors_line(const RowErrorRecord& record, std::size_t header_columns);

// Counts the data records (not the header) of a row_errors.csv without a CSV reader: complete
// records only (a torn last line is not counted); quoted line breaks are understood.
// An absent file has 0.
Expected<std::uint64_t, Error> count_row_error_records(const std::string& path);

class RowErrorsWriter {
  public:
    // Opens `path`. Without `append`, the file is replaced by one holding the header only.
    // With `append` (for --resume), an absent or empty file starts with the header; an existing
    // one must start with the same header (else a Permanent error) and a torn last line, left by
    // a crash in the middle of a write, is cut off.
    static Expected<RowErrorsWriter, Error> open(const std::string& path,
                                                 const std::vector<std::string>& original_header,
                                                 bool append, FileSystem& fs = real_fs());

    RowErrorsWriter(RowErrorsWriter&&) noexcept;
    RowErrorsWriter& operator=(RowErrorsWriter&&) noexcept;
    ~RowErrorsWriter();

    // Writes one record through to the kernel (it survives kill -9 once this returns). On a
    // failure (e.g. ENOSPC) the partial line is cut off again and the error returned. Thread-safe.
    Expected<void, Error> write(const RowErrorRecord& record);
    // Records are written through, so there is nothing buffered to flush; kept so that callers
    // can state their intent. Always succeeds unless the writer is broken.
    Expected<void, Error> flush();
    // fdatasync: every record written so far survives a power loss.
    Expected<void, Error> sync();
    std::uint64_t records_written() const;

  private:
    struct Impl;
    explicit RowErrorsWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace wxbatch::report
