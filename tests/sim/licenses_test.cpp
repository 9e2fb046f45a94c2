// PATCH /v1/licenses/users: 200, 206 partial, 404 and 400.
#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

using nlohmann::json;

class LicensesTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        start();
        const json seeded = seed(
            {{"people", {{{"email", "L@example.com"}, {"displayName", "L"}}}},
             {"licenses", {{{"id", "LIC_A"}, {"name", "A"}}, {{"id", "LIC_B"}, {"name", "B"}}}}});
        m_person_id = seeded.at("people").at(0).at("id");
    }
    std::string m_person_id;
};

TEST_F(LicensesTest, AddThenRemoveByEmailAndPersonId) {
    const auto added = m_client->request(
        "PATCH", "/v1/licenses/users",
        json({{"email", "l@example.com"},
              {"licenses", {{{"id", "LIC_A"}, {"operation", "add"}}, {{"id", "LIC_B"}}}}})
            .dump());
    ASSERT_EQ(added.status, 200) << added.body;
    EXPECT_EQ(added.json().at("licenses"), json({"LIC_A", "LIC_B"}));
    EXPECT_EQ(added.json().at("personId"), m_person_id);
    const auto removed =
        m_client->request("PATCH", "/v1/licenses/users",
                          json({{"personId", m_person_id},
                                {"licenses", {{{"id", "LIC_A"}, {"operation", "remove"}}}}})
                              .dump());
    ASSERT_EQ(removed.status, 200) << removed.body;
    EXPECT_EQ(removed.json().at("licenses"), json({"LIC_B"}));
    EXPECT_EQ(m_client->get("/v1/people/" + m_person_id).json().at("licenses"), json({"LIC_B"}));
    EXPECT_EQ(ledger(), json({{"license:l@example.com:LIC_A:add", 1},
                              {"license:l@example.com:LIC_B:add", 1},
                              {"license:l@example.com:LIC_A:remove", 1}}));
}

TEST_F(LicensesTest, UnknownLicenseIdsGive206WithTheKnownOnesApplied) {
    const auto partial = m_client->request(
        "PATCH", "/v1/licenses/users",
        json({{"email", "l@example.com"}, {"licenses", {{{"id", "LIC_A"}}, {{"id", "NOPE"}}}}})
            .dump());
    ASSERT_EQ(partial.status, 206) << partial.body;
    EXPECT_EQ(partial.json().at("licenses"), json({"LIC_A"}));
    EXPECT_EQ(ledger(), json({{"license:l@example.com:LIC_A:add", 1}}));
}

TEST_F(LicensesTest, UnknownPersonAndBadBodies) {
    const auto patch = [this](const json& body) {
        return m_client->request("PATCH", "/v1/licenses/users", body.dump()).status;
    };
    EXPECT_EQ(patch({{"email", "who@example.com"}, {"licenses", {{{"id", "LIC_A"}}}}}), 404);
    EXPECT_EQ(patch({{"licenses", {{{"id", "LIC_A"}}}}}), 400);
    EXPECT_EQ(patch({{"email", "l@example.com"}, {"licenses", {{{"operation", "add"}}}}}), 400);
    EXPECT_EQ(patch({{"email", "l@example.com"},
                     {"licenses", {{{"id", "LIC_A"}, {"operation", "swap"}}}}}),
              400);
    EXPECT_EQ(ledger(), json::object());
}

TEST_F(LicensesTest, DefaultLicensesAreListed) {
    const auto list = m_client->get("/v1/licenses");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json().at("items").size(), 5u);
}

}  // namespace
}  // namespace wxsim::test
