#pragma once
// Writing one CSV cell for a file that people open in spreadsheets.

#include <string>
#include <string_view>

namespace wxbatch::report {

// Whether a spreadsheet could run `value` as a formula: it starts with '=', '@', a tab or a CR,
// or it starts with '+' or '-' and is not a plain number or phone number. A plain number here
// is made only of digits, spaces and + - ( ) . , / with at least one digit ("-5", "+1 555
// 123-4567", "+44 (20) 7946 0018"): a spreadsheet may compute it, but it can name no function,
// cell or command, so it is left as it is and a fixed file can be fed back as --input.
bool looks_like_formula(std::string_view value);

// The cell as written: a leading ' when looks_like_formula (OWASP's CSV-injection defence),
// then RFC 4180 quoting when it holds a comma, a quote, a CR or an LF.
std::string csv_cell(std::string_view value);

// RFC 4180 quoting only.
std::string csv_quote(std::string_view value);

}  // namespace wxbatch::report
