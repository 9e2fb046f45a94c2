#pragma once
// The in-memory Webex organisation: people, licenses, rooms, teams, memberships, team
// memberships and messages. Every mutation that is applied is counted in the Ledger under the
// same lock, so the ledger never disagrees with the store. Thread-safe (one mutex).

#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "wxsim/ledger.hpp"
#include "wxsim/table.hpp"

namespace wxsim {

// The result of a store operation: a status, the body on success, the message on failure.
struct Outcome {
    int status = 200;
    nlohmann::json body;
    std::string message;
};

class Store {
  public:
    Store(Ledger& ledger, std::uint64_t seed);

    // Empties every table and restores the default licenses.
    void reset();

    // The authenticated administrator (GET /people/me).
    nlohmann::json me() const;

    // People (webex-admin.json /people). `body` has been parsed as JSON, of any type.
    Outcome create_person(const nlohmann::json& body);
    std::vector<nlohmann::json> list_people(const std::string& email,
                                            const std::string& display_name,
                                            const std::string& ids) const;
    Outcome get_person(const std::string& id) const;
    Outcome replace_person(const std::string& id, const nlohmann::json& body);
    Outcome delete_person(const std::string& id);

    // PATCH /licenses/users: 200, or 206 when some license ids are unknown.
    Outcome patch_licenses(const nlohmann::json& body);
    std::vector<nlohmann::json> list_licenses() const;

    // Rooms, teams, memberships, team memberships and messages (webex-messaging.json).
    Outcome create_room(const nlohmann::json& body, const std::string& forced_id = {});
    Outcome get_room(const std::string& id) const;
    std::vector<nlohmann::json> list_rooms() const;
    Outcome create_team(const nlohmann::json& body, const std::string& forced_id = {});
    Outcome get_team(const std::string& id) const;
    Outcome create_membership(const nlohmann::json& body);
    std::vector<nlohmann::json> list_memberships(const std::string& room_id,
                                                 const std::string& person_email,
                                                 const std::string& person_id) const;
    Outcome get_membership(const std::string& id) const;
    Outcome delete_membership(const std::string& id);
    Outcome create_team_membership(const nlohmann::json& body);
    std::vector<nlohmann::json> list_team_memberships(const std::string& team_id) const;
    Outcome create_message(const nlohmann::json& body);

    // POST /_sim/seed: creates people, rooms, teams, licenses and memberships without touching
    // the ledger; returns the created objects by kind. Throws std::invalid_argument on bad input.
    nlohmann::json seed(const nlohmann::json& data);

  private:
    std::string new_id(const char* kind);
    Outcome insert_person(const nlohmann::json& body, bool count);
    Outcome insert_membership(const nlohmann::json& body, bool count);
    // The email and id of the person a request names by personEmail or personId.
    Outcome resolve_person(const nlohmann::json& body) const;

    Ledger& m_ledger;
    std::uint64_t m_seed;
    mutable std::mutex m_mutex;
    std::mt19937_64 m_random;
    Table m_people;
    std::unordered_map<std::string, std::string> m_people_by_email;
    std::map<std::string, std::string> m_licenses;
    Table m_rooms;
    Table m_teams;
    Table m_memberships;
    std::unordered_map<std::string, std::string> m_membership_by_key;
    Table m_team_memberships;
    std::unordered_map<std::string, std::string> m_team_membership_by_key;
    Table m_messages;
};

// The organisation id every simulated resource belongs to.
std::string sim_org_id();

}  // namespace wxsim
