// `wxbatch validate`: parse and map every row as `run` would, without the network.
// Exit 0 when every row is valid, 3 with row_errors.csv in --out otherwise, 2 when the
// file or its header cannot be used.

#include <filesystem>
#include <iostream>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/cli/commands.hpp"
#include "wxbatch/csv/reader.hpp"
#include "wxbatch/report/row_errors_writer.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

int validate_command(const SettingFlags& flags) {
    engine::RunOptions options = resolve_options(flags);
    if (options.input.empty() || options.action.empty()) {
        throw UsageError("validate needs --input FILE and --action NAME");
    }
    const actions::Action* action = actions::find_action(options.action);
    if (action == nullptr) {
        throw UsageError("unknown action '" + options.action + "' (see `wxbatch actions`)");
    }
    auto reader = csv::CsvReader::open(options.input, csv::CsvOptions{options.delimiter});
    if (!reader) {
        throw UsageError(reader.error().message);
    }
    auto columns = action->bind_header(reader->header());
    if (!columns) {
        throw UsageError(options.input + ": " + columns.error());
    }
    std::filesystem::create_directories(options.out_dir);
    const std::string path = (std::filesystem::path(options.out_dir) / "row_errors.csv").string();
    auto writer = report::RowErrorsWriter::open(path, reader->header(), false);
    if (!writer) {
        throw UsageError(writer.error().message);
    }
    std::uint64_t rows = 0;
    std::uint64_t bad = 0;
    while (true) {
        auto next = reader->next();
        if (!next) {
            std::cerr << "wxbatch: error: " << next.error().message << "\n";
            std::cout << rows << " rows read before the error; fix the file and validate again\n";
            return 2;
        }
        if (!next->has_value()) {
            break;
        }
        const csv::RowRecord& row = **next;
        ++rows;
        if (auto invalid = action->validate(row, *columns)) {
            ++bad;
            report::RowErrorRecord rec;
            rec.row_number = row.row_number;
            rec.line_number = row.line_number;
            rec.fields = row.fields;
            rec.error_class = webex::to_string(webex::ErrorClass::RowErrorNonRetryable);
            rec.message = invalid->message;
            if (auto r = writer->write(rec); !r) {
                throw UsageError(r.error().message);
            }
        }
    }
    if (auto r = writer->sync(); !r) {
        throw UsageError(r.error().message);
    }
    std::cout << options.input << ": " << rows << " rows, " << bad << " invalid";
    if (bad > 0) {
        std::cout << " (listed in " << path << ")";
    }
    std::cout << "\n";
    return bad == 0 ? 0 : 3;
}

}  // namespace wxbatch::cli
