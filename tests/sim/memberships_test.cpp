// Rooms, teams, memberships, team memberships and messages.
#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

using nlohmann::json;

class MembershipsTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        start();
        seed({{"rooms", {{{"id", "ROOM1"}, {"title", "One"}}}},
              {"teams", {{{"id", "TEAM1"}, {"name", "Team"}}}}});
    }
};

TEST_F(MembershipsTest, CreateThenDuplicateIs409) {
    const json body = {{"roomId", "ROOM1"}, {"personEmail", "Bob@Example.com"}};
    const auto created = m_client->post("/v1/memberships", body);
    ASSERT_EQ(created.status, 200) << created.body;
    EXPECT_EQ(created.json().at("roomId"), "ROOM1");
    EXPECT_EQ(created.json().at("personEmail"), "Bob@Example.com");
    EXPECT_EQ(created.json().at("isModerator"), false);
    const auto duplicate = m_client->post(
        "/v1/memberships", {{"roomId", "ROOM1"}, {"personEmail", "bob@example.com"}});
    EXPECT_EQ(duplicate.status, 409);
    EXPECT_EQ(ledger(), json({{"membership:ROOM1:bob@example.com", 1}}));
}

TEST_F(MembershipsTest, UnknownRoomMalformedEmailAndMissingFields) {
    EXPECT_EQ(
        m_client->post("/v1/memberships", {{"roomId", "NOPE"}, {"personEmail", "a@b.com"}}).status,
        404);
    EXPECT_EQ(
        m_client->post("/v1/memberships", {{"roomId", "ROOM1"}, {"personEmail", "a@"}}).status,
        400);
    EXPECT_EQ(m_client->post("/v1/memberships", {{"personEmail", "a@b.com"}}).status, 400);
    EXPECT_EQ(m_client->post("/v1/memberships", {{"roomId", "ROOM1"}}).status, 400);
    EXPECT_EQ(m_client
                  ->post("/v1/memberships",
                         {{"roomId", "ROOM1"}, {"personEmail", "a@b.com"}, {"isModerator", "y"}})
                  .status,
              400);
    EXPECT_EQ(ledger(), json::object());
}

TEST_F(MembershipsTest, ListAndDelete) {
    m_client->post("/v1/memberships", {{"roomId", "ROOM1"}, {"personEmail", "a@example.com"}});
    const std::string id =
        m_client->post("/v1/memberships", {{"roomId", "ROOM1"}, {"personEmail", "b@example.com"}})
            .json()
            .at("id");
    EXPECT_EQ(m_client->get("/v1/memberships?roomId=ROOM1").json().at("items").size(), 2u);
    const auto one = m_client->get("/v1/memberships?roomId=ROOM1&personEmail=B%40example.com");
    ASSERT_EQ(one.json().at("items").size(), 1u);
    EXPECT_EQ(one.json().at("items").at(0).at("id"), id);
    EXPECT_EQ(m_client->request("DELETE", "/v1/memberships/" + id).status, 204);
    EXPECT_EQ(m_client->request("DELETE", "/v1/memberships/" + id).status, 404);
    EXPECT_EQ(m_client->get("/v1/memberships?roomId=ROOM1&personEmail=b%40example.com")
                  .json()
                  .at("items"),
              json::array());
    EXPECT_EQ(ledger().at("membership_delete:ROOM1:b@example.com"), 1);
}

TEST_F(MembershipsTest, TeamMemberships) {
    const json body = {
        {"teamId", "TEAM1"}, {"personEmail", "t@example.com"}, {"isModerator", true}};
    const auto created = m_client->post("/v1/team/memberships", body);
    ASSERT_EQ(created.status, 200) << created.body;
    EXPECT_EQ(created.json().at("isModerator"), true);
    EXPECT_EQ(m_client->post("/v1/team/memberships", body).status, 409);
    EXPECT_EQ(m_client->post("/v1/team/memberships", {{"teamId", "X"}, {"personEmail", "t@e.com"}})
                  .status,
              404);
    EXPECT_EQ(m_client->get("/v1/team/memberships?teamId=TEAM1").json().at("items").size(), 1u);
    EXPECT_EQ(m_client->get("/v1/team/memberships").status, 400);
    EXPECT_EQ(ledger(), json({{"team_membership:TEAM1:t@example.com", 1}}));
}

TEST_F(MembershipsTest, RoomsAndTeams) {
    const auto room = m_client->post("/v1/rooms", {{"title", "New"}});
    ASSERT_EQ(room.status, 200);
    const std::string room_id = room.json().at("id");
    EXPECT_EQ(room_id.rfind("Y2lzY29zcGFyazovL3VzL1JPT00v", 0), 0u) << room_id;
    EXPECT_EQ(m_client->get("/v1/rooms/" + room_id).json().at("title"), "New");
    EXPECT_EQ(m_client->get("/v1/rooms/nope").status, 404);
    EXPECT_EQ(m_client->post("/v1/rooms", json::object()).status, 400);
    const auto team = m_client->post("/v1/teams", {{"name", "T"}});
    ASSERT_EQ(team.status, 200);
    EXPECT_EQ(m_client->get("/v1/teams/" + team.json().at("id").get<std::string>()).status, 200);
    EXPECT_EQ(m_client->get("/v1/teams/TEAM1").json().at("name"), "Team");
    EXPECT_EQ(m_client->post("/v1/teams", {{"name", 5}}).status, 400);
}

TEST_F(MembershipsTest, Messages) {
    const auto to_room = m_client->post("/v1/messages", {{"roomId", "ROOM1"}, {"text", "hi"}});
    ASSERT_EQ(to_room.status, 200) << to_room.body;
    EXPECT_EQ(to_room.json().at("text"), "hi");
    const auto direct =
        m_client->post("/v1/messages", {{"toPersonEmail", "X@example.com"}, {"markdown", "**m**"}});
    ASSERT_EQ(direct.status, 200) << direct.body;
    EXPECT_EQ(direct.json().at("roomType"), "direct");
    EXPECT_EQ(m_client->post("/v1/messages", {{"roomId", "NOPE"}, {"text", "x"}}).status, 404);
    EXPECT_EQ(m_client->post("/v1/messages", {{"roomId", "ROOM1"}}).status, 400);
    EXPECT_EQ(m_client->post("/v1/messages", {{"text", "x"}}).status, 400);
    EXPECT_EQ(m_client->post("/v1/messages", {{"toPersonEmail", "bad"}, {"text", "x"}}).status,
              400);
    EXPECT_EQ(ledger(), json({{"message:ROOM1:hi", 1}, {"message:x@example.com:**m**", 1}}));
}

}  // namespace
}  // namespace wxsim::test
