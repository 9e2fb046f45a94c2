#include <array>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/actions/builtin.hpp"

namespace wxbatch::actions {

std::span<const Action* const> all_actions() {
    static const std::array<const Action*, 8> k_actions = {
        &people_create_action(),           &people_update_action(),
        &people_delete_action(),           &licenses_assign_action(),
        &memberships_create_action(),      &memberships_delete_action(),
        &team_memberships_create_action(), &messages_create_action(),
    };
    return k_actions;
}

const Action* find_action(std::string_view name) {
    for (const Action* action : all_actions()) {
        if (action->name() == name) {
            return action;
        }
    }
    return nullptr;
}

}  // namespace wxbatch::actions
