#include <iostream>

#include <fmt/format.h>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/cli/commands.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : sep) + item;
    }
    return out;
}

void describe(const actions::Action& action) {
    std::cout << action.name() << ": " << action.description() << "\n";
    std::cout << "token scopes: " << join(action.scopes(), ", ") << "\n";
    std::cout << "columns:\n";
    for (const auto& col : action.columns()) {
        std::string role = col.role == actions::ColumnRole::Critical ? "required" : "optional";
        if (!col.group.empty()) {
            role = "required (one of group " + col.group + ")";
        }
        std::cout << fmt::format("  {:<18} {:<28} {}\n", col.name, role, col.description);
        if (!col.aliases.empty()) {
            std::cout << fmt::format("  {:<18} also accepted: {}\n", "", join(col.aliases, ", "));
        }
    }
}

}  // namespace

int actions_command(const std::optional<std::string>& name, bool csv_template) {
    if (!name) {
        if (csv_template) {
            throw UsageError("--template needs an action name, e.g. `wxbatch actions people.create --template`");
        }
        for (const actions::Action* action : actions::all_actions()) {
            std::cout << fmt::format("{:<24} {}\n", action->name(), action->description());
            std::cout << fmt::format("{:<24} scopes: {}\n", "", join(action->scopes(), ", "));
        }
        return 0;
    }
    const actions::Action* action = actions::find_action(*name);
    if (action == nullptr) {
        throw UsageError("unknown action '" + *name + "' (run `wxbatch actions` for the list)");
    }
    if (csv_template) {
        std::cout << action->csv_template();
    } else {
        describe(*action);
    }
    return 0;
}

}  // namespace wxbatch::cli
