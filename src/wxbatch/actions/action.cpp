#include "wxbatch/actions/action.hpp"

#include <cctype>

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

std::string Action::ordering_key(const csv::RowRecord& row, const ColumnMap& map) const {
    std::string key;
    for (const std::string_view column : key_columns()) {
        key += map.get(columns(), row, column);
        key += '\x1f';  // unit separator: "a,b" + "c" and "a" + "b,c" differ
    }
    for (char& c : key) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return key;
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
