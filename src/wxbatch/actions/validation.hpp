#pragma once
// Row checks made before anything is sent: field count, required values, email syntax, id lists.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wxbatch/actions/action.hpp"

namespace wxbatch::actions {

// The text without leading and trailing spaces and tabs.
std::string trim(std::string_view text);
// ASCII lower case (header names and emails compare case-insensitively).
std::string to_lower(std::string_view text);

// True for an address an admin API accepts: one '@', a non-empty local part of at most 64 bytes
// without spaces or leading, trailing or doubled dots, and a domain of dot-separated labels of
// letters, digits and inner hyphens with at least two labels; 254 bytes at most in all.
bool is_valid_email(std::string_view email);

// Splits a list of ids separated by ';' or '|', trimmed, empty entries dropped.
std::vector<std::string> split_ids(std::string_view text);

// Parses true/false, yes/no, 1/0 (any case); nullopt for anything else.
std::optional<bool> parse_bool(std::string_view text);

// The checks every action makes first: the field count equals the header's, every critical
// column without a group is non-empty, and every group has at least one non-empty column.
std::optional<ValidationError> validate_common(const std::vector<ColumnSpec>& columns,
                                               const csv::RowRecord& row, const ColumnMap& map);

// An error when the non-empty value of `field` is not a valid email.
std::optional<ValidationError> check_email(const std::vector<ColumnSpec>& columns,
                                           const csv::RowRecord& row, const ColumnMap& map,
                                           std::string_view field);

// An error when the value of `field` is longer than `max_bytes`.
std::optional<ValidationError> check_max_bytes(const std::vector<ColumnSpec>& columns,
                                               const csv::RowRecord& row, const ColumnMap& map,
                                               std::string_view field, std::size_t max_bytes);

}  // namespace wxbatch::actions
