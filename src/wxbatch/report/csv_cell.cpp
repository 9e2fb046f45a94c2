#include "wxbatch/report/csv_cell.hpp"

#include <algorithm>

namespace wxbatch::report {
namespace {

bool is_plain_number(std::string_view value) {
    bool digit = false;
    for (const char c : value) {
        if (c >= '0' && c <= '9') {
            digit = true;
        } else if (std::string_view(" +-().,/").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return digit;
}

}  // namespace

bool looks_like_formula(std::string_view value) {
    if (value.empty()) {
        return false;
    }
    switch (value.front()) {
        case '=':
        case '@':
        case '\t':
        case '\r':
            return true;
        case '+':
        case '-':
            return !is_plain_number(value);
        default:
            return false;
    }
}

std::string csv_quote(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(value);
    }
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_cell(std::string_view value) {
    if (looks_like_formula(value)) {
        return csv_quote("'" + std::string(value));
    }
    return csv_quote(value);
}

}  // namespace wxbatch::report
