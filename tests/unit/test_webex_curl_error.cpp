// translate_curl_error (the one CURLcode -> TransportError mapping) and trace redaction.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wxbatch/webex/curl_error.hpp"
#include "wxbatch/webex/curl_trace.hpp"

namespace wxbatch::webex {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

CurlFailure failure(bool started) {
    CurlFailure f;
    f.host = "webexapis.com";
    f.detail = "detail from libcurl";
    f.request_started = started;
    f.max_body_bytes = 1000;
    f.timeout = 30000ms;
    return f;
}

struct Case {
    CURLcode code;
    bool started;
    TransportErrorKind kind;
    bool may_have_been_sent;
};

TEST(TranslateCurlError, MapsEveryFamilyToItsKindAndAmbiguity) {
    const Case cases[] = {
        {CURLE_OPERATION_TIMEDOUT, true, TransportErrorKind::Timeout, true},
        {CURLE_OPERATION_TIMEDOUT, false, TransportErrorKind::Connect, false},
        {CURLE_COULDNT_CONNECT, false, TransportErrorKind::Connect, false},
        {CURLE_COULDNT_RESOLVE_HOST, false, TransportErrorKind::Resolve, false},
        {CURLE_COULDNT_RESOLVE_PROXY, false, TransportErrorKind::Resolve, false},
        {CURLE_GOT_NOTHING, true, TransportErrorKind::ConnectionDropped, true},
        {CURLE_RECV_ERROR, true, TransportErrorKind::ConnectionDropped, true},
        {CURLE_PARTIAL_FILE, true, TransportErrorKind::ConnectionDropped, true},
        {CURLE_SEND_ERROR, true, TransportErrorKind::ConnectionDropped, true},
        {CURLE_SEND_ERROR, false, TransportErrorKind::Connect, false},
        {CURLE_RECV_ERROR, false, TransportErrorKind::Connect, false},
        {CURLE_PEER_FAILED_VERIFICATION, false, TransportErrorKind::Tls, false},
        {CURLE_SSL_CACERT_BADFILE, false, TransportErrorKind::Tls, false},
        {CURLE_SSL_CONNECT_ERROR, false, TransportErrorKind::Tls, false},
        {CURLE_SSL_CERTPROBLEM, false, TransportErrorKind::Tls, false},
        {CURLE_FILESIZE_EXCEEDED, true, TransportErrorKind::BodyTooLarge, true},
        {CURLE_URL_MALFORMAT, false, TransportErrorKind::Other, false},
        {CURLE_WRITE_ERROR, true, TransportErrorKind::Other, true},
    };
    for (const auto& c : cases) {
        const TransportError e = translate_curl_error(c.code, failure(c.started));
        EXPECT_EQ(e.kind, c.kind) << curl_easy_strerror(c.code) << " started=" << c.started;
        EXPECT_EQ(e.request_may_have_been_sent, c.may_have_been_sent)
            << curl_easy_strerror(c.code) << " started=" << c.started;
        EXPECT_THAT(e.message, HasSubstr("webexapis.com")) << e.message;
    }
}

TEST(TranslateCurlError, WriteErrorFromTheCapIsBodyTooLarge) {
    CurlFailure f = failure(true);
    f.body_too_large = true;
    const TransportError e = translate_curl_error(CURLE_WRITE_ERROR, f);
    EXPECT_EQ(e.kind, TransportErrorKind::BodyTooLarge);
    EXPECT_EQ(e.message, "the answer from webexapis.com exceeded the 1000 byte limit");
}

TEST(TranslateCurlError, MessagesAreExact) {
    EXPECT_EQ(translate_curl_error(CURLE_PEER_FAILED_VERIFICATION, failure(false)).message,
              "TLS certificate verification failed for webexapis.com: detail from libcurl; "
              "set CURL_CA_BUNDLE or SSL_CERT_FILE to your CA bundle");
    EXPECT_EQ(translate_curl_error(CURLE_SSL_CONNECT_ERROR, failure(false)).message,
              "TLS handshake failed with webexapis.com: detail from libcurl; "
              "set CURL_CA_BUNDLE or SSL_CERT_FILE to your CA bundle");
    EXPECT_EQ(translate_curl_error(CURLE_OPERATION_TIMEDOUT, failure(true)).message,
              "no complete answer within 30000 ms from webexapis.com: detail from libcurl");
    EXPECT_EQ(translate_curl_error(CURLE_OPERATION_TIMEDOUT, failure(false)).message,
              "could not connect within 30000 ms to webexapis.com: detail from libcurl");
    CurlFailure no_detail = failure(false);
    no_detail.detail.clear();
    EXPECT_EQ(translate_curl_error(CURLE_COULDNT_CONNECT, no_detail).message,
              std::string("could not connect to webexapis.com: ") +
                  curl_easy_strerror(CURLE_COULDNT_CONNECT));
}

TEST(RedactTraceHeaders, HidesAuthorizationValuesOnly) {
    const std::string block =
        "GET /v1/people/me HTTP/1.1\r\n"
        "Host: webexapis.com\r\n"
        "authorization: Bearer abc.def\r\n"
        "Proxy-Authorization: Basic eHl6\r\n"
        "TrackingID: WXBATCH_r_1_1\r\n"
        "\r\n";
    EXPECT_EQ(redact_trace_headers(block),
              "GET /v1/people/me HTTP/1.1\r\n"
              "Host: webexapis.com\r\n"
              "authorization: <redacted>\r\n"
              "Proxy-Authorization: <redacted>\r\n"
              "TrackingID: WXBATCH_r_1_1\r\n"
              "\r\n");
    EXPECT_EQ(redact_trace_headers("Authorization: Bearer x"), "Authorization: <redacted>");
    EXPECT_EQ(redact_trace_headers("X-Authorization-Hint: keep\n"), "X-Authorization-Hint: keep\n");
    EXPECT_EQ(redact_trace_headers(""), "");
}

}  // namespace
}  // namespace wxbatch::webex
