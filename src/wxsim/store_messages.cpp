// Messages and seeding of the Store.
#include <stdexcept>

#include "wxsim/ids.hpp"
#include "wxsim/store.hpp"
#include "wxsim/validate.hpp"

namespace wxsim {

namespace {

using nlohmann::json;

std::string string_or_empty(const json& body, const char* name) {
    return body.contains(name) && body.at(name).is_string() ? body.at(name).get<std::string>()
                                                            : std::string();
}

}  // namespace

Outcome Store::create_message(const json& body) {
    if (!body.is_object()) {
        return {400, nullptr, "The request body must be a JSON object."};
    }
    const std::string room_id = string_or_empty(body, "roomId");
    const std::string to_id = string_or_empty(body, "toPersonId");
    std::string to_email = string_or_empty(body, "toPersonEmail");
    const std::string text = string_or_empty(body, "text");
    const std::string markdown = string_or_empty(body, "markdown");
    if (room_id.empty() && to_id.empty() && to_email.empty()) {
        return {400, nullptr, "roomId, toPersonId or toPersonEmail is required."};
    }
    if (text.empty() && markdown.empty()) {
        return {400, nullptr, "text or markdown is required."};
    }
    if (!to_email.empty() && !is_valid_email(to_email)) {
        return {400, nullptr, "Invalid email address."};
    }
    std::lock_guard lock(m_mutex);
    if (!room_id.empty() && !m_rooms.find(room_id)) {
        return {404, nullptr, "Room not found."};
    }
    if (room_id.empty() && !to_id.empty()) {
        const json* person = m_people.find(to_id);
        if (!person) {
            return {404, nullptr, "Person not found."};
        }
        to_email = person->at("emails").at(0).get<std::string>();
    }
    const json sender = me();
    const std::string id = new_id("MESSAGE");
    json message = {
        {"id", id},
        {"roomId", room_id.empty() ? webex_id("ROOM", uuid_of_text(lower(to_email))) : room_id},
        {"roomType", room_id.empty() ? "direct" : "group"},
        {"personId", sender["id"]},
        {"personEmail", sender["emails"][0]},
        {"created", now_iso8601()}};
    if (!text.empty()) {
        message["text"] = text;
    }
    if (!markdown.empty()) {
        message["markdown"] = markdown;
    }
    if (room_id.empty()) {
        message["toPersonEmail"] = to_email;
    }
    m_messages.put(id, message);
    m_ledger.record("message:" + (room_id.empty() ? lower(to_email) : room_id) + ":" +
                    (text.empty() ? markdown : text));
    return {200, std::move(message), {}};
}

json Store::seed(const json& data) {
    if (!data.is_object()) {
        throw std::invalid_argument("seed data must be a JSON object");
    }
    json created = {{"people", json::array()},
                    {"rooms", json::array()},
                    {"teams", json::array()},
                    {"licenses", json::array()},
                    {"memberships", json::array()}};
    auto check = [](const Outcome& outcome, const char* what) {
        if (outcome.status != 200) {
            throw std::invalid_argument(std::string(what) + ": " + outcome.message);
        }
        return outcome.body;
    };
    for (const auto& license : data.value("licenses", json::array())) {
        const std::string id = license.at("id").get<std::string>();
        std::lock_guard lock(m_mutex);
        m_licenses[id] = license.value("name", id);
        created["licenses"].push_back({{"id", id}, {"name", m_licenses[id]}});
    }
    for (const auto& team : data.value("teams", json::array())) {
        created["teams"].push_back(check(create_team(team, team.value("id", "")), "team"));
    }
    for (const auto& room : data.value("rooms", json::array())) {
        created["rooms"].push_back(check(create_room(room, room.value("id", "")), "room"));
    }
    for (json person : data.value("people", json::array())) {
        if (person.contains("email") && !person.contains("emails")) {
            person["emails"] = json::array({person.at("email")});
            person.erase("email");
        }
        std::lock_guard lock(m_mutex);
        created["people"].push_back(check(insert_person(person, false), "person"));
    }
    for (const auto& membership : data.value("memberships", json::array())) {
        std::lock_guard lock(m_mutex);
        created["memberships"].push_back(check(insert_membership(membership, false), "membership"));
    }
    return created;
}

}  // namespace wxsim
