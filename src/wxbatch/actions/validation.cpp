#include "wxbatch/actions/validation.hpp"

#include <algorithm>
#include <cctype>

namespace wxbatch::actions {
namespace {

bool is_atext(unsigned char c) {
    static constexpr std::string_view k_specials = "!#$%&'*+-/=?^_`{|}~";
    return std::isalnum(c) != 0 || c >= 0x80 ||
           k_specials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_valid_local_part(std::string_view local) {
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') {
        return false;
    }
    for (std::size_t i = 0; i < local.size(); ++i) {
        const auto c = static_cast<unsigned char>(local[i]);
        if (c == '.') {
            if (local[i - 1] == '.') {
                return false;
            }
        } else if (!is_atext(c)) {
            return false;
        }
    }
    return true;
}

bool is_valid_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
    }
    return std::all_of(label.begin(), label.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
    });
}

bool is_valid_domain(std::string_view domain) {
    if (domain.find('.') == std::string_view::npos) {
        return false;
    }
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = domain.find('.', start);
        const std::string_view label = domain.substr(start, dot - start);
        if (!is_valid_label(label)) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

}  // namespace

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_valid_email(std::string_view email) {
    if (email.empty() || email.size() > 254) {
        return false;
    }
    const std::size_t at = email.find('@');
    if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    return is_valid_local_part(email.substr(0, at)) && is_valid_domain(email.substr(at + 1));
}

std::vector<std::string> split_ids(std::string_view text) {
    std::vector<std::string> ids;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find_first_of(";|", start);
        std::string id =
            trim(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (!id.empty()) {
            ids.push_back(std::move(id));
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return ids;
}

std::optional<bool> parse_bool(std::string_view text) {
    const std::string value = to_lower(trim(text));
    if (value == "true" || value == "yes" || value == "1") {
        return true;
    }
    if (value == "false" || value == "no" || value == "0") {
        return false;
    }
    return std::nullopt;
}

std::optional<ValidationError> validate_common(const std::vector<ColumnSpec>& columns,
                                               const csv::RowRecord& row, const ColumnMap& map) {
    if (row.fields.size() != map.header.size()) {
        return ValidationError{"", "row has " + std::to_string(row.fields.size()) +
                                       " fields, header has " + std::to_string(map.header.size())};
    }
    std::vector<std::string> groups_seen;
    for (const ColumnSpec& spec : columns) {
        if (spec.role != ColumnRole::Critical) {
            continue;
        }
        if (spec.group.empty()) {
            if (map.get(columns, row, spec.name).empty()) {
                return ValidationError{spec.name, spec.name + " is empty"};
            }
            continue;
        }
        if (std::find(groups_seen.begin(), groups_seen.end(), spec.group) != groups_seen.end()) {
            continue;
        }
        groups_seen.push_back(spec.group);
        std::string names;
        bool any = false;
        for (const ColumnSpec& member : columns) {
            if (member.group == spec.group) {
                names += (names.empty() ? "" : ", ") + member.name;
                any = any || !map.get(columns, row, member.name).empty();
            }
        }
        if (!any) {
            return ValidationError{spec.name, "one of " + names + " must be non-empty"};
        }
    }
    return std::nullopt;
}

std::optional<ValidationError> check_email(const std::vector<ColumnSpec>& columns,
                                           const csv::RowRecord& row, const ColumnMap& map,
                                           std::string_view field) {
    const std::string value = map.get(columns, row, field);
    if (!value.empty() && !is_valid_email(value)) {
        return ValidationError{std::string(field), std::string(field) + " '" + value +
                                                       "' is not a valid email address"};
    }
    return std::nullopt;
}

std::optional<ValidationError> check_max_bytes(const std::vector<ColumnSpec>& columns,
                                               const csv::RowRecord& row, const ColumnMap& map,
                                               std::string_view field, std::size_t max_bytes) {
    const std::string value = map.get(columns, row, field);
    if (value.size() > max_bytes) {
        return ValidationError{std::string(field),
                               std::string(field) + " is " + std::to_string(value.size()) +
                                   " bytes, the limit is " + std::to_string(max_bytes)};
    }
    return std::nullopt;
}

}  // namespace wxbatch::actions
