#pragma once
// The built-in actions, one function per action, each returning a process-lifetime instance.
// registry.cpp lists them; tests may use them directly.

#include "wxbatch/actions/action.hpp"

namespace wxbatch::actions {

const Action& people_create_action();
const Action& people_update_action();
const Action& people_delete_action();
const Action& licenses_assign_action();
const Action& memberships_create_action();
const Action& memberships_delete_action();
const Action& team_memberships_create_action();
const Action& messages_create_action();

}  // namespace wxbatch::actions
