#pragma once
// Test helpers: a small libcurl client and a fixture running wxsim::Server in-process on
// 127.0.0.1 port 0 with a manual clock.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wxsim/server.hpp"
#include "wxsim/sim_state.hpp"

namespace wxsim::test {

struct HttpResult {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string body;
    // Header names in lower case.
    std::map<std::string, std::string> headers;

    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// One keep-alive connection's worth of client: a reused curl easy handle.
class SimClient {
  public:
    SimClient(std::string origin, std::string token);
    ~SimClient();
    SimClient(const SimClient&) = delete;
    SimClient& operator=(const SimClient&) = delete;

    // Sends METHOD origin+target with the bearer token (when not empty) and extra headers.
    HttpResult request(const std::string& method, const std::string& target,
                       const std::string& body = {}, const std::vector<std::string>& headers = {});
    HttpResult get(const std::string& target) { return request("GET", target); }
    HttpResult post(const std::string& target, const nlohmann::json& body) {
        return request("POST", target, body.dump());
    }
    void set_token(std::string token) { m_token = std::move(token); }

  private:
    std::string m_origin;
    std::string m_token;
    CURL* m_curl;
};

// A manual clock for Options::clock.
struct ManualClock {
    std::atomic<double> seconds{1000};
    void advance(double by) { seconds.store(seconds.load() + by); }
};

// Runs a simulator with the options set up by the test (override configure()).
class SimTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;
    virtual void configure(Options& options) { (void)options; }

    // Starts the server; tests that need particular options call it after changing m_options.
    void start();
    std::string origin() const;
    nlohmann::json seed(const nlohmann::json& data);
    nlohmann::json ledger();
    nlohmann::json stats();

    Options m_options;
    ManualClock m_clock;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<SimClient> m_client;
};

}  // namespace wxsim::test
