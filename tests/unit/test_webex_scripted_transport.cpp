// The ScriptedTransport fake other layers test with: order, responder, exhaustion, recording.

#include <gtest/gtest.h>

#include "support/scripted_transport.hpp"

namespace wxbatch::webex {
namespace {

HttpRequest request_to(const std::string& url) {
    HttpRequest request;
    request.url = url;
    return request;
}

TEST(ScriptedTransport, AnswersInOrderThenFromTheResponderThenFails) {
    test::ScriptedTransport transport;
    Headers headers;
    headers.add("Retry-After", "3");
    transport.respond(429, "", headers).fail(TransportErrorKind::Timeout, true, "slow");
    EXPECT_EQ(transport.remaining(), 2U);

    auto first = transport.perform(request_to("http://x/1"));
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->status, 429);
    EXPECT_EQ(first->headers.get("retry-after"), "3");
    auto second = transport.perform(request_to("http://x/2"));
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().kind, TransportErrorKind::Timeout);
    EXPECT_TRUE(second.error().request_may_have_been_sent);
    EXPECT_EQ(second.error().message, "slow");

    auto exhausted = transport.perform(request_to("http://x/3"));
    ASSERT_FALSE(exhausted.has_value());
    EXPECT_EQ(exhausted.error().kind, TransportErrorKind::Other);
    EXPECT_EQ(exhausted.error().message, "script exhausted");

    transport.set_responder([](const HttpRequest& request) -> test::ScriptedTransport::Answer {
        return HttpResponse{200, {}, request.url};
    });
    auto echoed = transport.perform(request_to("http://x/4"));
    ASSERT_TRUE(echoed.has_value());
    EXPECT_EQ(echoed->body, "http://x/4");

    const auto requests = transport.requests();
    ASSERT_EQ(requests.size(), 4U);
    EXPECT_EQ(transport.request_count(), 4U);
    EXPECT_EQ(requests[0].url, "http://x/1");
    EXPECT_EQ(requests[3].url, "http://x/4");
    EXPECT_EQ(transport.remaining(), 0U);
}

}  // namespace
}  // namespace wxbatch::webex
