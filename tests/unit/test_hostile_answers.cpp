// Hostile server answers through the real CurlTransport, WebexClient and ResilientExecutor
// against a real loopback server: bodies over the size cap, non-JSON and half-JSON error bodies,
// control characters, unusable Retry-After values, truncated answers and 200s with garbage.
// Each is handled without a crash and with a message a person can act on.

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "support/local_http_server.hpp"
#include "support/scripted_api.hpp"
#include "wxbatch/actions/builtin.hpp"
#include "wxbatch/resilience/resilient_executor.hpp"
#include "wxbatch/webex/client.hpp"
#include "wxbatch/webex/curl_transport.hpp"
#include "wxbatch/webex/error_body.hpp"

namespace wxbatch::webex {
namespace {

using namespace std::chrono_literals;
using test::LocalHttpServer;
using test::RawTcpServer;
using test::TransportEnv;
using ::testing::HasSubstr;

// One canned answer for every request to /v1/hostile.
struct Canned {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
};

Canned canned_answer(int status, std::string body, std::string content_type = "application/json",
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Canned{status, std::move(body), std::move(content_type), std::move(headers)};
}

LocalHttpServer serve(const Canned& canned) {
    return LocalHttpServer([canned](httplib::Server& server) {
        server.Get("/v1/hostile", [canned](const httplib::Request&, httplib::Response& res) {
            res.status = canned.status;
            for (const auto& [name, value] : canned.headers) {
                res.set_header(name, value);
            }
            res.set_content(canned.body, canned.content_type);
        });
    });
}

struct Exchange {
    Expected<HttpResponse, TransportError> answer;
    ApiResult result;
};

// GET <base>/v1/hostile through WebexClient and a CurlTransport capped at `cap` bytes.
Exchange get_hostile(const std::string& base, std::size_t cap = std::size_t{1} << 20) {
    TransportEnv env;
    const WebexClient client(WebexClientConfig{base + "/v1", "run1", 5000ms}, "tok-hostile");
    CurlTransportOptions options;
    options.max_body_bytes = cap;
    CurlTransport transport(options);
    ApiRequest request;
    request.path = "/hostile";
    Exchange exchange{transport.perform(client.build(request, 1, 1)), {}};
    if (exchange.answer) {
        WebexClient::fill_result(*exchange.answer, exchange.result);
    }
    return exchange;
}

bool has_control_characters(const std::string& text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return true;
        }
    }
    return false;
}

TEST(HostileAnswers, ABodyOverTheSizeCapIsATransportErrorNamingTheCap) {
    for (const int status : {200, 500}) {
        const LocalHttpServer server =
            serve(canned_answer(status, std::string(3u << 20, 'a'), "text/plain"));
        const Exchange e = get_hostile(server.url());
        ASSERT_FALSE(e.answer.has_value()) << status;
        EXPECT_EQ(e.answer.error().kind, TransportErrorKind::BodyTooLarge);
        EXPECT_EQ(e.answer.error().message,
                  "the answer from 127.0.0.1 exceeded the 1048576 byte limit");
        EXPECT_TRUE(e.answer.error().request_may_have_been_sent);
    }
}

TEST(HostileAnswers, ANonJsonErrorBodyGivesTheStatusAndTheHeaderTrackingId) {
    const LocalHttpServer server = serve(
        canned_answer(502, "<html><body><h1>502 Bad Gateway</h1>\r\n<p>nginx</p></body></html>",
                      "text/html", {{"TrackingID", "ROUTER_5F3C"}}));
    const Exchange e = get_hostile(server.url());
    ASSERT_TRUE(e.answer.has_value()) << e.answer.error().message;
    EXPECT_EQ(e.result.status, CallStatus::HttpError);
    EXPECT_EQ(e.result.http_status, 502);
    EXPECT_TRUE(e.result.body().is_null());
    EXPECT_EQ(e.result.message,
              "HTTP 502 (body not JSON: <html><body><h1>502 Bad Gateway</h1> "
              "<p>nginx</p></body></html>)");
    EXPECT_EQ(e.result.tracking_id, "ROUTER_5F3C");
}

TEST(HostileAnswers, JsonErrorBodiesWithMissingOrMistypedFieldsStillGiveAMessage) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"{}", "HTTP 400"},
        {"[]", "HTTP 400"},
        {"null", "HTTP 400"},
        {R"({"message": 42, "errors": "none", "trackingId": ["x"]})", "HTTP 400"},
        {R"({"errors": [{}, {"description": null}, {"description": "Email is invalid"}]})",
         "Email is invalid"},
        {R"({"message": "", "errors": [{"description": ""}]})", "HTTP 400"},
        {R"({"message": "Invalid email", "errors": [{"description": "Invalid email"}]})",
         "Invalid email"},
    };
    for (const auto& [body, message] : cases) {
        const LocalHttpServer server = serve(canned_answer(400, body));
        const Exchange e = get_hostile(server.url());
        ASSERT_TRUE(e.answer.has_value()) << body;
        EXPECT_EQ(e.result.status, CallStatus::HttpError) << body;
        EXPECT_EQ(e.result.message, message) << body;
        EXPECT_EQ(e.result.tracking_id, "") << body;
    }
}

TEST(HostileAnswers, ControlCharactersAndHugeMessagesCannotForgeOrFloodALogLine) {
    const std::string forged = "bad row\r\n2026-01-01 INFO row 7 succeeded\x1b[31m\t end";
    const std::string huge(400000, 'm');
    for (const std::string& text : {forged, huge}) {
        const LocalHttpServer server = serve(
            canned_answer(400, nlohmann::json{{"message", text}, {"trackingId", text}}.dump()));
        const Exchange e = get_hostile(server.url());
        ASSERT_TRUE(e.answer.has_value());
        EXPECT_FALSE(has_control_characters(e.result.message)) << e.result.message;
        EXPECT_LE(e.result.message.size(), k_error_field_limit + 3);  // + "..."
        EXPECT_LE(e.result.tracking_id.size(), k_error_field_limit + 3);
    }
    const LocalHttpServer server =
        serve(canned_answer(400, nlohmann::json{{"message", forged}}.dump()));
    EXPECT_EQ(get_hostile(server.url()).result.message,
              "bad row 2026-01-01 INFO row 7 succeeded [31m end");
}

TEST(HostileAnswers, A200WithGarbageIsOkWithANullBodyAndGetMeRefusesIt) {
    const LocalHttpServer server =
        serve(canned_answer(200, std::string("<<garbage>>\x01\xff{\"id\":", 19)));
    const Exchange e = get_hostile(server.url());
    ASSERT_TRUE(e.answer.has_value());
    EXPECT_EQ(e.result.status, CallStatus::Ok);
    EXPECT_TRUE(e.result.body().is_null());
    EXPECT_EQ(e.result.message, "");

    const LocalHttpServer me_server([](httplib::Server& s) {
        s.Get("/v1/people/me", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("{\"id\": \"truncated", "application/json");
        });
    });
    TransportEnv env;
    const WebexClient client(WebexClientConfig{me_server.url() + "/v1", "run1", 5000ms}, "tok");
    CurlTransport transport;
    const auto me = client.get_me(transport);
    ASSERT_FALSE(me.has_value());
    EXPECT_EQ(me.error(),
              "GET " + me_server.url() + "/v1/people/me answered 200 without a JSON person");
}

TEST(HostileAnswers, AnAnswerCutShortIsADroppedConnectionThatMayHaveBeenApplied) {
    const RawTcpServer server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":");
    const Exchange e = get_hostile(server.url());
    ASSERT_FALSE(e.answer.has_value());
    EXPECT_EQ(e.answer.error().kind, TransportErrorKind::ConnectionDropped);
    EXPECT_TRUE(e.answer.error().request_may_have_been_sent);
}

TEST(HostileAnswers, AnAnswerThatIsNotHttpIsAnErrorNotACrash) {
    const RawTcpServer server("SSH-2.0-OpenSSH_9.2\r\n");
    const Exchange e = get_hostile(server.url());
    ASSERT_FALSE(e.answer.has_value());
    EXPECT_FALSE(e.answer.error().message.empty());
}

// A server that answers 503 with each Retry-After of a list in turn, then 200.
class RetryAfterServer {
  public:
    explicit RetryAfterServer(std::vector<std::string> values)
        : m_values(std::move(values)), m_server([this](httplib::Server& s) {
              s.Get("/v1/hostile", [this](const httplib::Request&, httplib::Response& res) {
                  std::lock_guard lock(m_mutex);
                  if (m_next < m_values.size()) {
                      res.status = 503;
                      res.set_header("Retry-After", m_values[m_next++]);
                      res.set_content(R"({"message":"busy"})", "application/json");
                  } else {
                      res.set_content(R"({"id":"ok"})", "application/json");
                  }
              });
          }) {}

    std::string url() const { return m_server.url(); }

  private:
    std::mutex m_mutex;
    std::vector<std::string> m_values;
    std::size_t m_next = 0;
    LocalHttpServer m_server;
};

TEST(HostileAnswers, NegativeHugeAndPastRetryAfterValuesFallBackOrAreBounded) {
    using namespace resilience;
    // The fake wall clock reads 2026-01-01T00:00:00Z.
    RetryAfterServer server(
        {"-5", "99999999999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", "1e9"});
    testing::FakeClock clock;
    testing::FakeSleeper sleeper(clock);
    testing::ScriptedRandom random({}, 1.0);  // full jitter draws its upper bound
    BreakerSettings quiet;
    quiet.window = 100;
    quiet.minimum_calls = 100;
    CircuitBreaker breaker(quiet);
    RateGovernor governor;
    SystemicDetector detector;
    ResilienceStats stats;
    RetrySettings retry = retry_profile("normal");
    retry.max_attempts = 6;
    ResilientExecutor executor(RetryPolicy(retry), breaker, governor, detector, clock, sleeper,
                               random, stats, Duration(300), RateLimitBudget{});

    TransportEnv env;
    const WebexClient client(WebexClientConfig{server.url() + "/v1", "run1", 5000ms}, "tok");
    CurlTransport transport;
    ApiRequest request;
    request.path = "/hostile";
    std::atomic<bool> stop{false};
    const ExecutionResult r = executor.execute(
        [&](int n) {
            AttemptOutcome outcome;
            auto answer = transport.perform(client.build(request, 1, n));
            if (answer) {
                outcome.http_status = answer->status;
                outcome.retry_after = answer->headers.get("Retry-After");
            } else {
                outcome.transport = answer.error().kind;
            }
            return outcome;
        },
        false, stop);
    EXPECT_EQ(r.outcome, ExecOutcome::Success);
    EXPECT_EQ(r.attempts, 6);
    // -5: ignored, backoff 1 s; huge: the 300 s cap; a past date: now; "soon" and "1e9":
    // ignored, backoff 8 s and 16 s.
    EXPECT_EQ(r.retry_waits, (std::vector<double>{1, 300, 0, 8, 16}));
    EXPECT_EQ(stats.to_json()["retry_after"]["ignored"], 3);
    EXPECT_FALSE(r.retry_after_problem.empty());
    EXPECT_NEAR(sleeper.total_s(), 1 + 300 + 0 + 8 + 16, 1e-6);
}

// A lookup answered 200 with a body that is not {"items": [...]} must not be read as "no
// match" (people.delete would record "already done" without deleting anyone): a row error.
TEST(HostileAnswers, A200WithGarbageOnALookupIsNotTakenForNotFound) {
    const actions::Action& action = actions::people_delete_action();
    const auto map = action.bind_header({"email"});
    ASSERT_TRUE(map.has_value());
    csv::RowRecord row;
    row.row_number = 1;
    row.line_number = 2;
    row.fields = {"ann@example.com"};
    ApiResult garbage;
    garbage.http_status = 200;  // body null: what fill_result makes of a body that is not JSON
    testing::ScriptedApi api;
    api.then(garbage);
    const actions::RowOutcome outcome = action.execute(row, *map, api, {});
    EXPECT_EQ(outcome.status, actions::RowStatus::RowError);
    EXPECT_EQ(outcome.error_class, ErrorClass::TransientRetryable);
    EXPECT_EQ(api.calls().size(), 1u);
}

}  // namespace
}  // namespace wxbatch::webex
