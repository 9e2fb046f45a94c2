// /_sim/: ledger, stats, reset and seed.
#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

using nlohmann::json;

class ControlTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        start();
    }
};

TEST_F(ControlTest, SeedCreatesObjectsWithCallerIds) {
    const json created =
        seed({{"people", {{{"email", "s@example.com"}, {"displayName", "S"}}}},
              {"rooms", {{{"id", "R"}, {"title", "Room"}}, {{"title", "Generated"}}}},
              {"teams", {{{"name", "T"}}}},
              {"memberships", {{{"roomId", "R"}, {"personEmail", "s@example.com"}}}}});
    EXPECT_EQ(created.at("rooms").at(0).at("id"), "R");
    EXPECT_NE(created.at("rooms").at(1).at("id"), "");
    EXPECT_EQ(created.at("people").at(0).at("displayName"), "S");
    EXPECT_EQ(created.at("memberships").size(), 1u);
    EXPECT_EQ(m_client->get("/v1/rooms/R").status, 200);
    EXPECT_EQ(m_client->post("/v1/memberships", {{"roomId", "R"}, {"personEmail", "s@example.com"}})
                  .status,
              409);
    EXPECT_EQ(ledger(), json::object());
    SimClient control(origin(), "");
    EXPECT_EQ(control.post("/_sim/seed", {{"rooms", {{{"title", 1}}}}}).status, 400);
    EXPECT_EQ(control.request("POST", "/_sim/seed", "{nope").status, 400);
}

TEST_F(ControlTest, StatsCountApiRequestsByStatusEndpointAndSecond) {
    m_client->get("/v1/people/me");
    m_clock.advance(2.5);
    m_client->get("/v1/people/unknown");
    m_client->get("/v1/people/unknown2");
    ledger();
    const json s = stats();
    EXPECT_EQ(s.at("requests"), 3);
    EXPECT_EQ(s.at("by_status"), json({{"200", 1}, {"404", 2}}));
    EXPECT_EQ(s.at("by_endpoint"), json({{"GET /v1/people/me", 1}, {"GET /v1/people/{id}", 2}}));
    EXPECT_EQ(s.at("timeline"), json::parse(R"([{"second":0,"requests":1,"by_status":{"200":1}},
                              {"second":2,"requests":2,"by_status":{"404":2}}])"));
}

TEST_F(ControlTest, ResetClearsStoreLedgerAndStats) {
    seed({{"rooms", {{{"id", "R"}, {"title", "Room"}}}}});
    m_client->post("/v1/memberships", {{"roomId", "R"}, {"personEmail", "a@example.com"}});
    SimClient control(origin(), "");
    EXPECT_EQ(control.post("/_sim/reset", json::object()).status, 200);
    EXPECT_EQ(ledger(), json::object());
    EXPECT_EQ(stats().at("requests"), 0);
    EXPECT_EQ(m_client->get("/v1/rooms/R").status, 404);
}

TEST_F(ControlTest, ControlEndpointsNeedNoTokenAndAreNotRateLimited) {
    SimClient control(origin(), "");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(control.get("/_sim/ledger").status, 200);
    }
    EXPECT_EQ(stats().at("requests"), 0);
}

}  // namespace
}  // namespace wxsim::test
