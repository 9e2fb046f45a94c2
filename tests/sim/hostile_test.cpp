// Hostile and malformed requests: the server answers Webex-style errors and stays up.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>

#include "sim/sim_client.hpp"

namespace wxsim::test {
namespace {

using nlohmann::json;

class HostileTest : public SimTest {
  protected:
    void SetUp() override {
        SimTest::SetUp();
        m_options.max_body_bytes = 1024;
        start();
    }
};

void expect_webex_error(const HttpResult& result, long status) {
    EXPECT_EQ(result.status, status) << result.body;
    const json body = json::parse(result.body);
    EXPECT_FALSE(body.at("message").get<std::string>().empty());
    EXPECT_EQ(body.at("errors").at(0).at("description"), body.at("message"));
    EXPECT_EQ(body.at("trackingId"), result.header("trackingid"));
}

TEST_F(HostileTest, MalformedJsonIsAWebexStyle400) {
    expect_webex_error(m_client->request("POST", "/v1/memberships", "{\"roomId\":"), 400);
    expect_webex_error(m_client->request("POST", "/v1/people", ""), 400);
}

TEST_F(HostileTest, WrongFieldTypesAre400) {
    expect_webex_error(m_client->post("/v1/rooms", {{"title", "t"}, {"isLocked", "yes"}}), 400);
    expect_webex_error(m_client->post("/v1/memberships", json::array({1, 2})), 400);
}

TEST_F(HostileTest, UnknownPathIs404AndWrongMethodIs405) {
    expect_webex_error(m_client->get("/v1/nothing"), 404);
    expect_webex_error(m_client->get("/v2/people"), 404);
    expect_webex_error(m_client->request("PATCH", "/v1/memberships", "{}"), 405);
    expect_webex_error(m_client->request("DELETE", "/v1/people"), 405);
}

TEST_F(HostileTest, OversizedBodyIs413) {
    const json body = {{"roomId", std::string(2048, 'x')}, {"personEmail", "a@example.com"}};
    expect_webex_error(m_client->post("/v1/memberships", body), 413);
    EXPECT_EQ(ledger(), json::object());
}

TEST_F(HostileTest, RandomBytesOnARawSocketDoNotHurtTheServer) {
    std::mt19937 random(3);
    for (int round = 0; round < 5; ++round) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        ASSERT_GE(fd, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(m_server->port()));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        std::string noise(4096, '\0');
        for (char& c : noise) {
            c = static_cast<char>(random() & 0xff);
        }
        EXPECT_GT(send(fd, noise.data(), noise.size(), MSG_NOSIGNAL), 0);
        shutdown(fd, SHUT_WR);
        char buffer[512];
        while (recv(fd, buffer, sizeof buffer, 0) > 0) {
        }
        close(fd);
    }
    EXPECT_EQ(m_client->get("/v1/people/me").status, 200);
}

}  // namespace
}  // namespace wxsim::test
