#include "wxbatch/actions/action.hpp"

namespace wxbatch::actions {
namespace {

// One CSV cell, quoted when it holds a delimiter, a quote or a line break.
std::string csv_cell(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (const char c : value) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

}  // namespace

const char* to_string(RowStatus s) {
    switch (s) {
        case RowStatus::Success:
            return "SUCCESS";
        case RowStatus::AlreadyDone:
            return "ALREADY_DONE";
        case RowStatus::RowError:
            return "ROW_ERROR";
        case RowStatus::NotDone:
            return "NOT_DONE";
    }
    return "UNKNOWN";
}

std::string Action::csv_template() const {
    std::string header;
    std::string example;
    const std::vector<ColumnSpec>& specs = columns();
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const std::string separator = i == 0 ? "" : ",";
        header += separator + csv_cell(specs[i].name);
        example += separator + csv_cell(specs[i].example);
    }
    return header + "\n" + example + "\n";
}

}  // namespace wxbatch::actions
