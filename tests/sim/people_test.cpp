// /v1/people: create, list, get, replace, delete, and their error statuses.
#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

using nlohmann::json;

class PeopleTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        start();
    }
    json create(const std::string& email) {
        const auto result =
            m_client->post("/v1/people", {{"emails", {email}}, {"displayName", email}});
        EXPECT_EQ(result.status, 200) << result.body;
        return result.json();
    }
};

TEST_F(PeopleTest, MeNeedsAValidBearerToken) {
    EXPECT_EQ(m_client->get("/v1/people/me").status, 200);
    m_client->set_token("wrong");
    const auto wrong = m_client->get("/v1/people/me");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_FALSE(wrong.json().at("message").get<std::string>().empty());
    m_client->set_token("");
    EXPECT_EQ(m_client->get("/v1/people/me").status, 401);
}

TEST_F(PeopleTest, CreateAnswersThePersonWithAWebexId) {
    const auto result = m_client->post(
        "/v1/people", {{"emails", {"Ann@Example.com"}}, {"firstName", "Ann"}, {"lastName", "Lee"}});
    ASSERT_EQ(result.status, 200) << result.body;
    const json person = result.json();
    EXPECT_EQ(person.at("emails"), json::array({"Ann@Example.com"}));
    EXPECT_EQ(person.at("displayName"), "Ann Lee");
    EXPECT_EQ(person.at("firstName"), "Ann");
    const std::string id = person.at("id");
    EXPECT_EQ(id.rfind("Y2lzY29zcGFyazovL3VzL1BFT1BMRS", 0), 0u) << id;
    EXPECT_EQ(ledger(), json({{"person:ann@example.com", 1}}));
}

TEST_F(PeopleTest, CreateRejectsDuplicatesMissingAndMalformedEmails) {
    create("a@example.com");
    EXPECT_EQ(m_client->post("/v1/people", {{"emails", {"A@EXAMPLE.com"}}}).status, 409);
    EXPECT_EQ(m_client->post("/v1/people", {{"displayName", "x"}}).status, 400);
    EXPECT_EQ(m_client->post("/v1/people", {{"emails", json::array()}}).status, 400);
    const auto bad = m_client->post("/v1/people", {{"emails", {"not-an-email"}}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.json().at("errors").at(0).at("description"), "Invalid email address.");
    EXPECT_EQ(
        m_client->post("/v1/people", {{"emails", {"b@example.com"}}, {"displayName", 3}}).status,
        400);
    EXPECT_EQ(ledger(), json({{"person:a@example.com", 1}}));
}

TEST_F(PeopleTest, ListByEmailIsCaseInsensitive) {
    const json person = create("b@example.com");
    create("c@example.com");
    const auto found = m_client->get("/v1/people?email=B%40Example.com");
    ASSERT_EQ(found.status, 200);
    EXPECT_EQ(found.json().at("items"), json::array({person}));
    EXPECT_EQ(m_client->get("/v1/people?email=zz%40example.com").json().at("items"), json::array());
}

TEST_F(PeopleTest, PagingFollowsTheLinkHeader) {
    for (int i = 0; i < 5; ++i) {
        create("p" + std::to_string(i) + "@example.com");
    }
    std::vector<std::string> emails;
    std::string target = "/v1/people?max=2";
    int pages = 0;
    while (!target.empty()) {
        const auto page = m_client->get(target);
        ASSERT_EQ(page.status, 200) << page.body;
        ++pages;
        const json body = page.json();
        for (const auto& person : body.at("items")) {
            emails.push_back(person.at("emails").at(0));
        }
        const std::string link = page.header("link");
        target.clear();
        if (!link.empty()) {
            const std::string prefix = "<" + origin();
            ASSERT_EQ(link.rfind(prefix, 0), 0u) << link;
            ASSERT_NE(link.find(">; rel=\"next\""), std::string::npos) << link;
            target = link.substr(prefix.size(), link.find('>') - prefix.size());
        }
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(emails,
              (std::vector<std::string>{"p0@example.com", "p1@example.com", "p2@example.com",
                                        "p3@example.com", "p4@example.com"}));
    EXPECT_EQ(m_client->get("/v1/people?max=0").status, 400);
    EXPECT_EQ(m_client->get("/v1/people?max=x").status, 400);
}

TEST_F(PeopleTest, GetReplaceAndDelete) {
    const std::string id = create("d@example.com").at("id");
    EXPECT_EQ(m_client->get("/v1/people/" + id).json().at("displayName"), "d@example.com");
    EXPECT_EQ(
        m_client->request("PUT", "/v1/people/" + id, json({{"firstName", "D"}}).dump()).status,
        400);
    const auto replaced =
        m_client->request("PUT", "/v1/people/" + id,
                          json({{"displayName", "Dee"}, {"emails", {"d@example.com"}}}).dump());
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    EXPECT_EQ(replaced.json().at("displayName"), "Dee");
    EXPECT_EQ(m_client->get("/v1/people/" + id).json().at("displayName"), "Dee");
    EXPECT_EQ(
        m_client->request("PUT", "/v1/people/unknown", json({{"displayName", "x"}}).dump()).status,
        404);
    EXPECT_EQ(m_client->request("DELETE", "/v1/people/" + id).status, 204);
    EXPECT_EQ(m_client->request("DELETE", "/v1/people/" + id).status, 404);
    EXPECT_EQ(m_client->get("/v1/people/" + id).status, 404);
    EXPECT_EQ(ledger(), json({{"person:d@example.com", 1},
                              {"person_update:d@example.com", 1},
                              {"person_delete:d@example.com", 1}}));
}

TEST_F(PeopleTest, TrackingIdIsEchoedOrGenerated) {
    const auto echoed =
        m_client->request("POST", "/v1/people", "{}", {"TrackingID: WXBATCH_run_1_1"});
    EXPECT_EQ(echoed.status, 400);
    EXPECT_EQ(echoed.header("trackingid"), "WXBATCH_run_1_1");
    EXPECT_EQ(echoed.json().at("trackingId"), "WXBATCH_run_1_1");
    const auto generated = m_client->get("/v1/people/unknown");
    EXPECT_EQ(generated.status, 404);
    EXPECT_FALSE(generated.header("trackingid").empty());
    EXPECT_EQ(generated.json().at("trackingId"), generated.header("trackingid"));
}

}  // namespace
}  // namespace wxsim::test
