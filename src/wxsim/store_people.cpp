// People, /people/me and licenses of the Store.
#include "wxsim/ids.hpp"
#include "wxsim/store.hpp"
#include "wxsim/validate.hpp"

namespace wxsim {

namespace {

using nlohmann::json;

const char* const k_copied_fields[] = {"phoneNumbers", "extension", "locationId",  "firstName",
                                       "lastName",     "nickName",  "avatar",      "roles",
                                       "department",   "manager",   "managerId",   "title",
                                       "addresses",    "siteUrls",  "loginEnabled"};

Outcome failure(int status, std::string message) {
    return {status, nullptr, std::move(message)};
}

// Checks the types of the fields a person body may carry; empty when fine.
std::string person_body_error(const json& body) {
    if (!body.is_object()) {
        return "The request body must be a JSON object.";
    }
    for (const char* name : {"displayName", "firstName", "lastName", "orgId", "extension",
                             "locationId", "nickName", "title", "department"}) {
        if (body.contains(name) && !body.at(name).is_string()) {
            return std::string(name) + " must be a string.";
        }
    }
    for (const char* name : {"emails", "roles", "licenses", "phoneNumbers"}) {
        if (body.contains(name) && !body.at(name).is_array()) {
            return std::string(name) + " must be an array.";
        }
    }
    if (body.contains("emails")) {
        for (const auto& email : body.at("emails")) {
            if (!email.is_string() || !is_valid_email(email.get<std::string>())) {
                return "Invalid email address.";
            }
        }
    }
    return {};
}

std::string display_name_of(const json& body, const std::string& email) {
    if (body.contains("displayName")) {
        return body.at("displayName").get<std::string>();
    }
    std::string name = body.value("firstName", std::string());
    const std::string last = body.value("lastName", std::string());
    if (!last.empty()) {
        name += name.empty() ? last : " " + last;
    }
    return name.empty() ? email : name;
}

// The person resource built from a request body (a full replacement of the writable fields).
json person_of(const json& body, const std::string& id, const std::string& email) {
    json person = {{"id", id},
                   {"emails", json::array({email})},
                   {"phoneNumbers", json::array()},
                   {"displayName", display_name_of(body, email)},
                   {"orgId", body.value("orgId", sim_org_id())},
                   {"roles", json::array()},
                   {"licenses", json::array()},
                   {"created", now_iso8601()},
                   {"status", "unknown"},
                   {"invitePending", false},
                   {"loginEnabled", true},
                   {"type", "person"}};
    for (const char* name : k_copied_fields) {
        if (body.contains(name)) {
            person[name] = body.at(name);
        }
    }
    if (body.contains("licenses")) {
        person["licenses"] = body.at("licenses");
    }
    person["lastModified"] = person["created"];
    return person;
}

}  // namespace

std::string sim_org_id() {
    return webex_id("ORGANIZATION", "5e3f1a2b-0000-4000-8000-00000000c0de");
}

Store::Store(Ledger& ledger, std::uint64_t seed)
    : m_ledger(ledger), m_seed(seed), m_random(seed ^ 0x5eedf00dULL) {
    reset();
}

void Store::reset() {
    std::lock_guard lock(m_mutex);
    m_random.seed(m_seed ^ 0x5eedf00dULL);
    m_people.clear();
    m_people_by_email.clear();
    m_rooms.clear();
    m_teams.clear();
    m_memberships.clear();
    m_membership_by_key.clear();
    m_team_memberships.clear();
    m_team_membership_by_key.clear();
    m_messages.clear();
    m_licenses.clear();
    m_licenses[webex_id("LICENSE", "5e3f1a2b-0000-4000-8000-00000000c0de_MS")] = "Messaging";
    m_licenses[webex_id("LICENSE", "5e3f1a2b-0000-4000-8000-00000000c0de_EE")] = "Meetings";
    m_licenses[webex_id("LICENSE", "5e3f1a2b-0000-4000-8000-00000000c0de_BCOCM")] =
        "Webex Calling - Professional";
}

std::string Store::new_id(const char* kind) {
    const std::uint64_t high = m_random();
    return webex_id(kind, format_uuid(high, m_random()));
}

json Store::me() const {
    const std::string email = "admin@wxsim.example.com";
    return {{"id", webex_id("PEOPLE", uuid_of_text(email))},
            {"emails", json::array({email})},
            {"displayName", "wxsim Administrator"},
            {"orgId", sim_org_id()},
            {"roles", json::array({webex_id("ROLE", "id_full_admin")})},
            {"type", "person"}};
}

Outcome Store::insert_person(const json& body, bool count) {
    if (const std::string error = person_body_error(body); !error.empty()) {
        return failure(400, error);
    }
    if (!body.contains("emails") || body.at("emails").empty()) {
        return failure(400, "emails is required.");
    }
    const std::string email = body.at("emails").at(0).get<std::string>();
    const std::string key = lower(email);
    if (m_people_by_email.count(key) != 0) {
        return failure(409, "User with this email already exists.");
    }
    const std::string id = new_id("PEOPLE");
    json person = person_of(body, id, email);
    m_people.put(id, person);
    m_people_by_email[key] = id;
    if (count) {
        m_ledger.record("person:" + key);
    }
    return {200, std::move(person), {}};
}

Outcome Store::create_person(const json& body) {
    std::lock_guard lock(m_mutex);
    return insert_person(body, true);
}

std::vector<json> Store::list_people(const std::string& email, const std::string& display_name,
                                     const std::string& ids) const {
    std::lock_guard lock(m_mutex);
    if (!email.empty()) {
        const auto it = m_people_by_email.find(lower(email));
        if (it == m_people_by_email.end()) {
            return {};
        }
        return {*m_people.find(it->second)};
    }
    const std::string id_list = "," + ids + ",";
    return m_people.select([&](const json& person) {
        const std::string id = person.at("id").get<std::string>();
        return (ids.empty() || id_list.find("," + id + ",") != std::string::npos) &&
               person.at("displayName").get<std::string>().rfind(display_name, 0) == 0;
    });
}

Outcome Store::get_person(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    const json* person = m_people.find(id);
    return person ? Outcome{200, *person, {}} : failure(404, "Person not found.");
}

Outcome Store::replace_person(const std::string& id, const json& body) {
    std::lock_guard lock(m_mutex);
    const json* existing = m_people.find(id);
    if (!existing) {
        return failure(404, "Person not found.");
    }
    if (const std::string error = person_body_error(body); !error.empty()) {
        return failure(400, error);
    }
    if (!body.contains("displayName")) {
        return failure(400, "displayName is required.");
    }
    const std::string old_email = existing->at("emails").at(0).get<std::string>();
    std::string email = old_email;
    if (body.contains("emails") && !body.at("emails").empty()) {
        email = body.at("emails").at(0).get<std::string>();
    }
    const auto owner = m_people_by_email.find(lower(email));
    if (owner != m_people_by_email.end() && owner->second != id) {
        return failure(409, "Another user has this email.");
    }
    json person = person_of(body, id, email);
    person["created"] = existing->at("created");
    m_people_by_email.erase(lower(old_email));
    m_people_by_email[lower(email)] = id;
    m_people.put(id, person);
    m_ledger.record("person_update:" + lower(old_email));
    return {200, std::move(person), {}};
}

Outcome Store::delete_person(const std::string& id) {
    std::lock_guard lock(m_mutex);
    const json* existing = m_people.find(id);
    if (!existing) {
        return failure(404, "Person not found.");
    }
    const std::string email = lower(existing->at("emails").at(0).get<std::string>());
    m_people.erase(id);
    m_people_by_email.erase(email);
    m_ledger.record("person_delete:" + email);
    return {204, nullptr, {}};
}

std::vector<json> Store::list_licenses() const {
    std::lock_guard lock(m_mutex);
    std::vector<json> out;
    for (const auto& [id, name] : m_licenses) {
        out.push_back({{"id", id}, {"name", name}, {"totalUnits", 100000}, {"consumedUnits", 0}});
    }
    return out;
}

}  // namespace wxsim
