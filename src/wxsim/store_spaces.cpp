// Rooms, teams, memberships, team memberships and messages of the Store.
#include "wxsim/ids.hpp"
#include "wxsim/store.hpp"
#include "wxsim/validate.hpp"

namespace wxsim {

namespace {

using nlohmann::json;

Outcome failure(int status, std::string message) {
    return {status, nullptr, std::move(message)};
}

// A required string field: empty and `error` set when missing or not a string.
std::string required_string(const json& body, const char* name, std::string& error) {
    if (!body.is_object()) {
        error = "The request body must be a JSON object.";
        return {};
    }
    if (!body.contains(name) || !body.at(name).is_string() || body.at(name).empty()) {
        error = std::string(name) + " is required.";
        return {};
    }
    return body.at(name).get<std::string>();
}

std::string optional_string(const json& body, const char* name) {
    return body.is_object() && body.contains(name) && body.at(name).is_string()
               ? body.at(name).get<std::string>()
               : std::string();
}

}  // namespace

Outcome Store::resolve_person(const json& body) const {
    const std::string email = optional_string(body, "personEmail");
    const std::string id = optional_string(body, "personId");
    if (!email.empty()) {
        if (!is_valid_email(email)) {
            return failure(400, "Invalid email address.");
        }
        const auto it = m_people_by_email.find(lower(email));
        if (it != m_people_by_email.end()) {
            const json& person = *m_people.find(it->second);
            return {
                200, {{"id", it->second}, {"email", email}, {"name", person["displayName"]}}, {}};
        }
        return {200,
                {{"id", webex_id("PEOPLE", uuid_of_text(lower(email)))},
                 {"email", email},
                 {"name", email}},
                {}};
    }
    if (!id.empty()) {
        const json* person = m_people.find(id);
        if (!person) {
            return failure(404, "Person not found.");
        }
        return {200,
                {{"id", id},
                 {"email", person->at("emails").at(0)},
                 {"name", person->at("displayName")}},
                {}};
    }
    return failure(400, "personEmail or personId is required.");
}

Outcome Store::create_room(const json& body, const std::string& forced_id) {
    std::string error;
    const std::string title = required_string(body, "title", error);
    if (!error.empty()) {
        return failure(400, error);
    }
    std::lock_guard lock(m_mutex);
    const std::string team_id = optional_string(body, "teamId");
    if (!team_id.empty() && !m_teams.find(team_id)) {
        return failure(404, "Team not found.");
    }
    if (!forced_id.empty() && m_rooms.find(forced_id)) {
        return failure(409, "A room with this id exists.");
    }
    const std::string id = forced_id.empty() ? new_id("ROOM") : forced_id;
    json room = {{"id", id},
                 {"title", title},
                 {"type", "group"},
                 {"isLocked", body.value("isLocked", false)},
                 {"created", now_iso8601()},
                 {"creatorId", me()["id"]},
                 {"ownerId", sim_org_id()},
                 {"isPublic", body.value("isPublic", false)},
                 {"isAnnouncementOnly", false},
                 {"isReadOnly", false}};
    room["lastActivity"] = room["created"];
    if (!team_id.empty()) {
        room["teamId"] = team_id;
    }
    m_rooms.put(id, room);
    return {200, std::move(room), {}};
}

Outcome Store::get_room(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    const json* room = m_rooms.find(id);
    return room ? Outcome{200, *room, {}} : failure(404, "Room not found.");
}

std::vector<json> Store::list_rooms() const {
    std::lock_guard lock(m_mutex);
    return m_rooms.select([](const json&) { return true; });
}

Outcome Store::create_team(const json& body, const std::string& forced_id) {
    std::string error;
    const std::string name = required_string(body, "name", error);
    if (!error.empty()) {
        return failure(400, error);
    }
    std::lock_guard lock(m_mutex);
    if (!forced_id.empty() && m_teams.find(forced_id)) {
        return failure(409, "A team with this id exists.");
    }
    const std::string id = forced_id.empty() ? new_id("TEAM") : forced_id;
    json team = {{"id", id}, {"name", name}, {"created", now_iso8601()}};
    m_teams.put(id, team);
    return {200, std::move(team), {}};
}

Outcome Store::get_team(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    const json* team = m_teams.find(id);
    return team ? Outcome{200, *team, {}} : failure(404, "Team not found.");
}

Outcome Store::insert_membership(const json& body, bool count) {
    std::string error;
    const std::string room_id = required_string(body, "roomId", error);
    if (!error.empty()) {
        return failure(400, error);
    }
    if (body.contains("isModerator") && !body.at("isModerator").is_boolean()) {
        return failure(400, "isModerator must be a boolean.");
    }
    Outcome person = resolve_person(body);
    if (person.status != 200) {
        return person;
    }
    const json* room = m_rooms.find(room_id);
    if (!room) {
        return failure(404, "Room not found.");
    }
    const std::string email = lower(person.body["email"].get<std::string>());
    const std::string key = room_id + "\n" + email;
    if (m_membership_by_key.count(key) != 0) {
        return failure(409, "Person is already a member of the room.");
    }
    const std::string id = new_id("MEMBERSHIP");
    json membership = {{"id", id},
                       {"roomId", room_id},
                       {"personId", person.body["id"]},
                       {"personEmail", person.body["email"]},
                       {"personDisplayName", person.body["name"]},
                       {"personOrgId", sim_org_id()},
                       {"isModerator", body.value("isModerator", false)},
                       {"isMonitor", false},
                       {"isRoomHidden", false},
                       {"roomType", room->value("type", std::string("group"))},
                       {"created", now_iso8601()}};
    m_memberships.put(id, membership);
    m_membership_by_key[key] = id;
    if (count) {
        m_ledger.record("membership:" + room_id + ":" + email);
    }
    return {200, std::move(membership), {}};
}

Outcome Store::create_membership(const json& body) {
    std::lock_guard lock(m_mutex);
    return insert_membership(body, true);
}

std::vector<json> Store::list_memberships(const std::string& room_id,
                                          const std::string& person_email,
                                          const std::string& person_id) const {
    std::lock_guard lock(m_mutex);
    if (!room_id.empty() && !person_email.empty()) {
        const auto it = m_membership_by_key.find(room_id + "\n" + lower(person_email));
        if (it == m_membership_by_key.end()) {
            return {};
        }
        return {*m_memberships.find(it->second)};
    }
    return m_memberships.select([&](const json& m) {
        return (room_id.empty() || m["roomId"] == room_id) &&
               (person_email.empty() ||
                lower(m["personEmail"].get<std::string>()) == lower(person_email)) &&
               (person_id.empty() || m["personId"] == person_id);
    });
}

Outcome Store::get_membership(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    const json* membership = m_memberships.find(id);
    return membership ? Outcome{200, *membership, {}} : failure(404, "Membership not found.");
}

Outcome Store::delete_membership(const std::string& id) {
    std::lock_guard lock(m_mutex);
    const json* membership = m_memberships.find(id);
    if (!membership) {
        return failure(404, "Membership not found.");
    }
    const std::string room_id = membership->at("roomId").get<std::string>();
    const std::string email = lower(membership->at("personEmail").get<std::string>());
    m_memberships.erase(id);
    m_membership_by_key.erase(room_id + "\n" + email);
    m_ledger.record("membership_delete:" + room_id + ":" + email);
    return {204, nullptr, {}};
}

Outcome Store::create_team_membership(const json& body) {
    std::string error;
    const std::string team_id = required_string(body, "teamId", error);
    if (!error.empty()) {
        return failure(400, error);
    }
    std::lock_guard lock(m_mutex);
    Outcome person = resolve_person(body);
    if (person.status != 200) {
        return person;
    }
    if (!m_teams.find(team_id)) {
        return failure(404, "Team not found.");
    }
    const std::string email = lower(person.body["email"].get<std::string>());
    const std::string key = team_id + "\n" + email;
    if (m_team_membership_by_key.count(key) != 0) {
        return failure(409, "Person is already a member of the team.");
    }
    const std::string id = new_id("TEAM_MEMBERSHIP");
    json membership = {{"id", id},
                       {"teamId", team_id},
                       {"personId", person.body["id"]},
                       {"personEmail", person.body["email"]},
                       {"personDisplayName", person.body["name"]},
                       {"personOrgId", sim_org_id()},
                       {"isModerator", body.value("isModerator", false)},
                       {"created", now_iso8601()}};
    m_team_memberships.put(id, membership);
    m_team_membership_by_key[key] = id;
    m_ledger.record("team_membership:" + team_id + ":" + email);
    return {200, std::move(membership), {}};
}

std::vector<json> Store::list_team_memberships(const std::string& team_id) const {
    std::lock_guard lock(m_mutex);
    return m_team_memberships.select([&](const json& m) { return m["teamId"] == team_id; });
}

}  // namespace wxsim
