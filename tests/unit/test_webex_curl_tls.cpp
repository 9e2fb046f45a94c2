// CurlTransport over TLS against a local httplib SSLServer with a certificate made in the test,
// and the environment settings libcurl and CurlTransport honour (CA bundle, proxies).

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/local_http_server.hpp"
#include "support/temp_dir.hpp"
#include "wxbatch/webex/curl_transport.hpp"

namespace wxbatch::webex {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using test::TempDir;

HttpRequest get(const std::string& url) {
    HttpRequest request;
    request.url = url;
    request.timeout = 5000ms;
    return request;
}

class CurlTlsTest : public ::testing::Test {
  protected:
    CurlTlsTest()
        : m_server(m_certificate, [](httplib::Server& s) {
              s.Get("/v1/people/me", [](const httplib::Request&, httplib::Response& res) {
                  res.set_content(R"({"id":"me"})", "application/json");
              });
          }) {}

    test::TransportEnv m_env;
    TempDir m_dir{"wxtls"};
    test::TestCertificate m_certificate;
    test::TestCertificate m_other_certificate;
    test::LocalHttpServer m_server;
};

TEST_F(CurlTlsTest, RightCaFromCurlCaBundleIsTrusted) {
    m_env.set("CURL_CA_BUNDLE", m_dir.write("ca.pem", m_certificate.pem()));
    m_env.set("SSL_CERT_FILE", m_dir.write("other.pem", m_other_certificate.pem()));
    CurlTransport transport;
    EXPECT_EQ(transport.ca_file(), m_dir.write("ca.pem", m_certificate.pem()));
    auto answer = transport.perform(get(m_server.url() + "/v1/people/me"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->body, R"({"id":"me"})");
}

TEST_F(CurlTlsTest, SslCertFileIsTheFallback) {
    m_env.set("SSL_CERT_FILE", m_dir.write("ca.pem", m_certificate.pem()));
    CurlTransport transport;
    auto answer = transport.perform(get(m_server.url() + "/v1/people/me"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->status, 200);
}

TEST_F(CurlTlsTest, ExplicitCaBundleOptionWinsOverTheEnvironment) {
    m_env.set("CURL_CA_BUNDLE", m_dir.write("other.pem", m_other_certificate.pem()));
    CurlTransportOptions options;
    options.ca_bundle = m_dir.write("ca.pem", m_certificate.pem());
    CurlTransport transport(options);
    auto answer = transport.perform(get(m_server.url() + "/v1/people/me"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->status, 200);
}

TEST_F(CurlTlsTest, WrongCaFailsWithAClearMessage) {
    m_env.set("CURL_CA_BUNDLE", m_dir.write("other.pem", m_other_certificate.pem()));
    CurlTransport transport;
    HttpRequest request = get(m_server.url() + "/v1/people/me");
    request.headers.add("Authorization", "Bearer tls-secret-token");
    auto answer = transport.perform(request);
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, TransportErrorKind::Tls);
    EXPECT_FALSE(answer.error().request_may_have_been_sent);
    EXPECT_THAT(answer.error().message,
                StartsWith("TLS certificate verification failed for 127.0.0.1: "));
    EXPECT_THAT(answer.error().message,
                HasSubstr("; set CURL_CA_BUNDLE or SSL_CERT_FILE to your CA bundle"));
    EXPECT_THAT(answer.error().message, ::testing::Not(HasSubstr("tls-secret-token")));
    EXPECT_EQ(m_server.request_count(), 0U);
}

TEST_F(CurlTlsTest, MissingCaFileIsATlsError) {
    m_env.set("CURL_CA_BUNDLE", m_dir.write("empty.pem", ""));
    CurlTransport transport;
    auto answer = transport.perform(get(m_server.url() + "/v1/people/me"));
    ASSERT_FALSE(answer.has_value());
    EXPECT_EQ(answer.error().kind, TransportErrorKind::Tls);
    EXPECT_THAT(answer.error().message, HasSubstr("set CURL_CA_BUNDLE or SSL_CERT_FILE"));
}

// libcurl (not our code) reads the proxy variables: these tests pin that behaviour down.
TEST(CurlProxyEnvironment, HttpProxyVariableIsHonouredByLibcurl) {
    test::TransportEnv env;
    test::RawTcpServer proxy("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    env.set("http_proxy", proxy.url());
    CurlTransport transport;
    auto answer = transport.perform(get("http://wxbatch.invalid/v1/people/me"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->body, "ok");
    ASSERT_EQ(proxy.heads().size(), 1U);
    EXPECT_THAT(proxy.heads()[0], StartsWith("GET http://wxbatch.invalid/v1/people/me HTTP/1.1"));
}

TEST(CurlProxyEnvironment, HttpsProxyVariableTunnelsWithConnect) {
    test::TransportEnv env;
    test::RawTcpServer proxy("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    env.set("HTTPS_PROXY", proxy.url());
    CurlTransport transport;
    auto answer = transport.perform(get("https://wxbatch.invalid/v1/people/me"));
    ASSERT_FALSE(answer.has_value());
    ASSERT_EQ(proxy.heads().size(), 1U);
    EXPECT_THAT(proxy.heads()[0], StartsWith("CONNECT wxbatch.invalid:443 HTTP/1.1"));
}

TEST(CurlProxyEnvironment, NoProxyVariableBypassesTheProxy) {
    test::TransportEnv env;
    test::RawTcpServer proxy("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nproxy");
    test::LocalHttpServer origin([](httplib::Server& s) {
        s.Get("/x", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("direct", "text/plain");
        });
    });
    env.set("http_proxy", proxy.url());
    env.set("NO_PROXY", "127.0.0.1");
    CurlTransport transport;
    auto answer = transport.perform(get(origin.url() + "/x"));
    ASSERT_TRUE(answer.has_value()) << answer.error().message;
    EXPECT_EQ(answer->body, "direct");
    EXPECT_TRUE(proxy.heads().empty());
}

}  // namespace
}  // namespace wxbatch::webex
