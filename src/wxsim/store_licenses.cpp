// PATCH /licenses/users of the Store.
#include <algorithm>

#include "wxsim/store.hpp"
#include "wxsim/validate.hpp"

namespace wxsim {

namespace {

using nlohmann::json;

// Checks the shape of a PATCH /licenses/users body; empty when fine.
std::string license_body_error(const json& body) {
    if (!body.is_object()) {
        return "The request body must be a JSON object.";
    }
    for (const char* name : {"email", "personId", "orgId"}) {
        if (body.contains(name) && !body.at(name).is_string()) {
            return std::string(name) + " must be a string.";
        }
    }
    if (body.value("email", std::string()).empty() &&
        body.value("personId", std::string()).empty()) {
        return "email or personId is required.";
    }
    if (body.contains("licenses") && !body.at("licenses").is_array()) {
        return "licenses must be an array.";
    }
    for (const auto& item : body.value("licenses", json::array())) {
        if (!item.is_object() || !item.contains("id") || !item.at("id").is_string()) {
            return "Each license needs an id.";
        }
        const std::string operation = item.value("operation", std::string("add"));
        if (operation != "add" && operation != "remove") {
            return "operation must be add or remove.";
        }
    }
    return {};
}

void apply_license(json& licenses, const std::string& id, const std::string& operation) {
    const auto it = std::find(licenses.begin(), licenses.end(), json(id));
    if (operation == "add" && it == licenses.end()) {
        licenses.push_back(id);
    } else if (operation == "remove" && it != licenses.end()) {
        licenses.erase(it);
    }
}

}  // namespace

Outcome Store::patch_licenses(const json& body) {
    if (const std::string error = license_body_error(body); !error.empty()) {
        return {400, nullptr, error};
    }
    std::lock_guard lock(m_mutex);
    std::string id = body.value("personId", std::string());
    if (id.empty()) {
        const auto it = m_people_by_email.find(lower(body.at("email").get<std::string>()));
        id = it == m_people_by_email.end() ? std::string() : it->second;
    }
    const json* existing = m_people.find(id);
    if (!existing) {
        return {404, nullptr, "Person not found."};
    }
    json person = *existing;
    const std::string email = lower(person.at("emails").at(0).get<std::string>());
    bool partial = false;
    for (const auto& item : body.value("licenses", json::array())) {
        const std::string license = item.at("id").get<std::string>();
        const std::string operation = item.value("operation", std::string("add"));
        if (m_licenses.count(license) == 0) {
            partial = true;
            continue;
        }
        apply_license(person["licenses"], license, operation);
        m_ledger.record("license:" + email + ":" + license + ":" + operation);
    }
    m_people.put(id, person);
    json answer = {{"orgId", person.at("orgId")},
                   {"personId", id},
                   {"email", person.at("emails").at(0)},
                   {"licenses", person.at("licenses")},
                   {"siteUrls", json::array()}};
    return {partial ? 206 : 200, std::move(answer), {}};
}

}  // namespace wxsim
