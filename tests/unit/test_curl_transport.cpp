// CurlTransport against real servers on 127.0.0.1 port 0: answers, methods, keep-alive,
// timeouts, refused and dropped connections, the body cap and the redacted trace.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/local_http_server.hpp"
#include "wxbatch/webex/curl_transport.hpp"

namespace wxbatch::webex {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

HttpRequest get(const std::string& url) {
    HttpRequest request;
    request.url = url;
    request.timeout = 5000ms;
    return request;
}

class CurlTransportTest : public ::testing::Test {
  protected:
    test::TransportEnv m_env;  // no proxy or CA variable from the machine
};

TEST_F(CurlTransportTest, ReturnsStatusBodyAndHeaders) {
    std::string seen_tracking;
    test::LocalHttpServer server([&](httplib::Server& s) {
        s.Get("/v1/people/me", [&](const httplib::Request& req, httplib::Response& res) {
            seen_tracking = req.get_header_value("TrackingID");
            res.status = 203;
            res.set_header("TrackingID", "ROUTER_123");
            res.set_content(R"({"id":"p1"})", "application/json");
        });
    });
    CurlTransport transport;
    HttpRequest request = get(server.url() + "/v1/people/me");
    request.headers.add("TrackingID", "WXBATCH_r_1_1");
    auto answer = transport.perform(request);
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->status, 203);
    EXPECT_EQ(answer->body, R"({"id":"p1"})");
    EXPECT_EQ(answer->headers.get("trackingid"), "ROUTER_123");
    EXPECT_EQ(answer->headers.get("CONTENT-TYPE"), "application/json");
    EXPECT_EQ(seen_tracking, "WXBATCH_r_1_1");
}

TEST_F(CurlTransportTest, SendsMethodAndBody) {
    const auto echo = [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.method + " " + req.get_header_value("Content-Type") + " " + req.body,
                        "text/plain");
    };
    test::LocalHttpServer server([&](httplib::Server& s) {
        s.Post("/x", echo).Put("/x", echo).Patch("/x", echo).Delete("/x", echo);
    });
    CurlTransport transport;
    const std::pair<HttpMethod, std::string> cases[] = {
        {HttpMethod::Post, "POST application/json {\"a\":1}"},
        {HttpMethod::Put, "PUT application/json {\"a\":1}"},
        {HttpMethod::Patch, "PATCH application/json {\"a\":1}"},
        {HttpMethod::Delete, "DELETE application/json {\"a\":1}"},
    };
    for (const auto& [method, expected] : cases) {
        HttpRequest request = get(server.url() + "/x");
        request.method = method;
        request.headers.add("Content-Type", "application/json");
        request.body = R"({"a":1})";
        auto answer = transport.perform(request);
        ASSERT_TRUE(answer.has_value()) << answer.error().message;
        EXPECT_EQ(answer->status, 200);
        EXPECT_EQ(answer->body, expected);
    }
    HttpRequest bare_delete = get(server.url() + "/x");
    bare_delete.method = HttpMethod::Delete;
    auto answer = transport.perform(bare_delete);
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->body, "DELETE  ");
}

TEST_F(CurlTransportTest, ReusesOneConnectionAcrossRequests) {
    test::LocalHttpServer server([](httplib::Server& s) {
        s.Get("/ping", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("pong", "text/plain");
        });
    });
    CurlTransport first;
    for (int i = 0; i < 5; ++i) {
        auto answer = first.perform(get(server.url() + "/ping"));
        ASSERT_TRUE(answer.has_value()) << answer.error().message;
        EXPECT_EQ(answer->body, "pong");
    }
    EXPECT_EQ(server.request_count(), 5U);
    EXPECT_EQ(server.connection_count(), 1U);
    CurlTransport moved = std::move(first);  // the handle, and its connection, move along
    ASSERT_TRUE(moved.perform(get(server.url() + "/ping")).has_value());
    EXPECT_EQ(server.connection_count(), 1U);
    CurlTransport second;
    ASSERT_TRUE(second.perform(get(server.url() + "/ping")).has_value());
    EXPECT_EQ(server.connection_count(), 2U);
}

TEST_F(CurlTransportTest, FreshConnectionRequestsNeverRideAReusedConnection) {
    test::LocalHttpServer server([](httplib::Server& s) {
        s.Get("/ping", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("pong", "text/plain");
        });
    });
    CurlTransport transport;
    ASSERT_TRUE(transport.perform(get(server.url() + "/ping")).has_value());
    EXPECT_EQ(server.connection_count(), 1U);
    HttpRequest fresh = get(server.url() + "/ping");
    fresh.fresh_connection = true;
    ASSERT_TRUE(transport.perform(fresh).has_value());
    EXPECT_EQ(server.connection_count(), 2U);
    ASSERT_TRUE(transport.perform(fresh).has_value());
    EXPECT_EQ(server.connection_count(), 3U);
}

TEST_F(CurlTransportTest, SlowAnswerIsATimeoutThatMayHaveBeenApplied) {
    std::mutex mutex;
    std::condition_variable released_cv;
    bool released = false;
    test::LocalHttpServer server([&](httplib::Server& s) {
        s.Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
            std::unique_lock lock(mutex);
            released_cv.wait_for(lock, 5s, [&] { return released; });
            res.set_content("late", "text/plain");
        });
    });
    CurlTransport transport;
    HttpRequest request = get(server.url() + "/slow");
    request.method = HttpMethod::Post;
    request.timeout = 150ms;
    auto answer = transport.perform(request);
    {
        std::lock_guard lock(mutex);
        released = true;
    }
    released_cv.notify_all();
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, TransportErrorKind::Timeout);
    EXPECT_TRUE(answer.error().request_may_have_been_sent);
    EXPECT_THAT(answer.error().message,
                HasSubstr("no complete answer within 150 ms from 127.0.0.1"));
}

TEST_F(CurlTransportTest, RefusedConnectionSentNothing) {
    test::RefusingPort port;
    CurlTransport transport;
    auto answer = transport.perform(get(port.url() + "/v1/people"));
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, TransportErrorKind::Connect);
    EXPECT_FALSE(answer.error().request_may_have_been_sent);
    EXPECT_THAT(answer.error().message, HasSubstr("could not connect to 127.0.0.1"));
}

TEST_F(CurlTransportTest, ServerClosingWithoutAnswerIsADrop) {
    test::RawTcpServer server("");
    CurlTransport transport;
    HttpRequest request = get(server.url() + "/v1/people");
    request.method = HttpMethod::Post;
    request.body = "{}";
    auto answer = transport.perform(request);
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, TransportErrorKind::ConnectionDropped);
    EXPECT_TRUE(answer.error().request_may_have_been_sent);
    ASSERT_EQ(server.heads().size(), 1U);
    EXPECT_THAT(server.heads()[0], HasSubstr("POST /v1/people HTTP/1.1"));
}

TEST_F(CurlTransportTest, TruncatedAnswerIsADrop) {
    test::RawTcpServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
    CurlTransport transport;
    auto answer = transport.perform(get(server.url() + "/v1/people"));
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, TransportErrorKind::ConnectionDropped);
    EXPECT_TRUE(answer.error().request_may_have_been_sent);
}

TEST_F(CurlTransportTest, BodyOverTheCapIsRefused) {
    const std::string big(2000, 'x');
    test::LocalHttpServer server([&](httplib::Server& s) {
        s.Get("/sized", [&](const httplib::Request&, httplib::Response& res) {
            res.set_content(big, "application/octet-stream");
        });
        s.Get("/chunked", [&](const httplib::Request&, httplib::Response& res) {
            res.set_chunked_content_provider("application/octet-stream",
                                             [&](std::size_t, httplib::DataSink& sink) {
                                                 sink.write(big.data(), big.size());
                                                 sink.done();
                                                 return true;
                                             });
        });
    });
    CurlTransportOptions options;
    options.max_body_bytes = 1000;
    CurlTransport transport(options);
    for (const char* path : {"/sized", "/chunked"}) {
        auto answer = transport.perform(get(server.url() + path));
        ASSERT_FALSE(answer.has_value()) << path;
        EXPECT_EQ(answer.error().kind, TransportErrorKind::BodyTooLarge) << path;
        EXPECT_EQ(answer.error().message, "the answer from 127.0.0.1 exceeded the 1000 byte limit");
    }
    options.max_body_bytes = 2000;
    CurlTransport roomy(options);
    auto answer = roomy.perform(get(server.url() + "/chunked"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->body.size(), 2000U);
}

TEST_F(CurlTransportTest, VerboseTraceRedactsTheAuthorizationHeader) {
    test::LocalHttpServer server([](httplib::Server& s) {
        s.Get("/me", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("{}", "application/json");
        });
    });
    std::string trace;
    CurlTransportOptions options;
    options.verbose_trace = true;
    options.trace_sink = [&](std::string_view chunk) { trace += chunk; };
    CurlTransport transport(options);
    HttpRequest request = get(server.url() + "/me");
    request.headers.add("Authorization", "Bearer s3cr3t-t0ken");
    ASSERT_TRUE(transport.perform(request).has_value());
    EXPECT_THAT(trace, HasSubstr("GET /me HTTP/1.1"));
    EXPECT_THAT(trace, HasSubstr("Authorization: <redacted>"));
    EXPECT_THAT(trace, Not(HasSubstr("s3cr3t")));
}

TEST_F(CurlTransportTest, LargeBodyIsSentWithoutExpectContinue) {
    std::string seen_expect = "unset";
    std::string seen_type = "unset";
    std::size_t seen_size = 0;
    test::LocalHttpServer server([&](httplib::Server& s) {
        s.Post("/big", [&](const httplib::Request& req, httplib::Response& res) {
            seen_expect = req.get_header_value("Expect");
            seen_type = req.get_header_value("Content-Type");
            seen_size = req.body.size();
            res.status = 201;
        });
    });
    CurlTransport transport;
    HttpRequest request = get(server.url() + "/big");
    request.method = HttpMethod::Post;
    request.body = std::string(2 * 1024 * 1024, 'b');
    auto answer = transport.perform(request);
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->status, 201);
    EXPECT_EQ(seen_expect, "");
    EXPECT_EQ(seen_type, "");  // no Content-Type given: none sent, not a form encoding
    EXPECT_EQ(seen_size, 2U * 1024 * 1024);
}

TEST_F(CurlTransportTest, CompressedAnswerIsDecoded) {
    const std::string json = "[" + std::string(20000, ' ') + "]";
    test::LocalHttpServer server([&](httplib::Server& s) {
        s.Get("/list", [&](const httplib::Request&, httplib::Response& res) {
            res.set_content(json, "application/json");
        });
    });
    CurlTransport transport;
    auto answer = transport.perform(get(server.url() + "/list"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    // libcurl offers what it was built with; httplib picks brotli, else gzip.
    EXPECT_THAT(answer->headers.get("Content-Encoding").value_or(""),
                ::testing::AnyOf("br", "gzip"));
    EXPECT_EQ(answer->body, json);
}

TEST_F(CurlTransportTest, RedirectsAreNotFollowed) {
    test::LocalHttpServer server([](httplib::Server& s) {
        s.Get("/old",
              [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/new"); });
    });
    CurlTransport transport;
    auto answer = transport.perform(get(server.url() + "/old"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->status, 302);
    EXPECT_EQ(answer->headers.get("Location"), "/new");
    EXPECT_EQ(server.request_count(), 1U);
}

TEST_F(CurlTransportTest, HeadersAreThoseOfTheFinalAnswer) {
    test::RawTcpServer server(
        "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After:  7 \r\nTrackingID: ROUTER_9\r\n"
        "Content-Length: 0\r\n\r\n");
    CurlTransport transport;
    auto answer = transport.perform(get(server.url() + "/v1/people"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->status, 429);
    EXPECT_EQ(answer->headers.get("retry-after"), "7");
    EXPECT_EQ(answer->headers.get("TrackingID"), "ROUTER_9");
    EXPECT_EQ(answer->headers.get("X-Interim"), std::nullopt);
    EXPECT_EQ(answer->headers.all().size(), 3U);
}

TEST_F(CurlTransportTest, HeaderWithALineBreakIsRefusedBeforeSending) {
    test::RawTcpServer server("");
    CurlTransport transport;
    HttpRequest request = get(server.url() + "/v1/people");
    request.headers.add("Authorization", "Bearer abc\r\nX-Injected: 1");
    auto answer = transport.perform(request);
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, TransportErrorKind::Other);
    EXPECT_FALSE(answer.error().request_may_have_been_sent);
    EXPECT_EQ(answer.error().message, "request header Authorization holds a line break");
    EXPECT_TRUE(server.heads().empty());
}

}  // namespace
}  // namespace wxbatch::webex
