// Header binding: which CSV column feeds which action column, by canonical name or alias,
// compared case-insensitively after trimming.

#include <algorithm>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/actions/validation.hpp"

namespace wxbatch::actions {
namespace {

bool matches(const ColumnSpec& spec, const std::string& header_name) {
    const std::string wanted = to_lower(trim(header_name));
    if (to_lower(spec.name) == wanted) {
        return true;
    }
    return std::any_of(spec.aliases.begin(), spec.aliases.end(),
                       [&](const std::string& alias) { return to_lower(alias) == wanted; });
}

// The missing critical columns, a group named as "one of a/b/c".
std::vector<std::string> missing_critical(const std::vector<ColumnSpec>& columns,
                                          const ColumnMap& map) {
    std::vector<std::string> missing;
    std::vector<std::string> groups_seen;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const ColumnSpec& spec = columns[i];
        if (spec.role != ColumnRole::Critical) {
            continue;
        }
        if (spec.group.empty()) {
            if (!map.index[i]) {
                missing.push_back(spec.name);
            }
            continue;
        }
        if (std::find(groups_seen.begin(), groups_seen.end(), spec.group) != groups_seen.end()) {
            continue;
        }
        groups_seen.push_back(spec.group);
        std::string names;
        bool any = false;
        for (std::size_t k = 0; k < columns.size(); ++k) {
            if (columns[k].group == spec.group) {
                names += (names.empty() ? "" : "/") + columns[k].name;
                any = any || map.index[k].has_value();
            }
        }
        if (!any) {
            missing.push_back("one of " + names);
        }
    }
    return missing;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : std::string(separator)) + item;
    }
    return out;
}

}  // namespace

std::string ColumnMap::get(const std::vector<ColumnSpec>& columns, const csv::RowRecord& row,
                           std::string_view name) const {
    for (std::size_t i = 0; i < columns.size() && i < index.size(); ++i) {
        if (columns[i].name == name) {
            if (!index[i] || *index[i] >= row.fields.size()) {
                return {};
            }
            return trim(row.fields[*index[i]]);
        }
    }
    return {};
}

Expected<ColumnMap, std::string> Action::bind_header(const std::vector<std::string>& header) const {
    const std::vector<ColumnSpec>& specs = columns();
    ColumnMap map;
    map.header = header;
    map.index.resize(specs.size());
    for (std::size_t i = 0; i < specs.size(); ++i) {
        for (std::size_t h = 0; h < header.size(); ++h) {
            if (!matches(specs[i], header[h])) {
                continue;
            }
            if (map.index[i]) {
                return unexpected(std::string(name()) + ": columns '" + header[*map.index[i]] +
                                  "' and '" + header[h] + "' both mean " + specs[i].name +
                                  "; keep one");
            }
            map.index[i] = h;
        }
    }
    const std::vector<std::string> missing = missing_critical(specs, map);
    if (!missing.empty()) {
        return unexpected(std::string(name()) + ": missing required column" +
                          (missing.size() > 1 ? "s" : "") + ": " + join(missing, ", ") +
                          "; found: " + (header.empty() ? "(none)" : join(header, ", ")));
    }
    return map;
}

}  // namespace wxbatch::actions
