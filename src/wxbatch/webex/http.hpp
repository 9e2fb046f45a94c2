#pragma once
// The HTTP seam: a request, a response, the transport errors we distinguish, and the
// HttpTransport interface. The libcurl transport implements it for real; tests use a scripted
// one that records calls. CURLcode is translated to TransportError in exactly one place.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wxbatch/util/expected.hpp"

namespace wxbatch::webex {

enum class HttpMethod { Get, Post, Put, Patch, Delete };

const char* to_string(HttpMethod m);

// Header list with case-insensitive lookup (HTTP header names are case-insensitive).
class Headers {
public:
    void add(std::string name, std::string value);
    // First value of the header named `name` (any case), if present.
    std::optional<std::string> get(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& all() const { return m_items; }

private:
    std::vector<std::pair<std::string, std::string>> m_items;
};

struct HttpRequest {
    HttpMethod method = HttpMethod::Get;
    std::string url;       // absolute, query string included
    Headers headers;       // Authorization, TrackingID, Content-Type ...
    std::string body;      // empty for none
    std::chrono::milliseconds timeout{30000};  // total time for the exchange
    // Send on a new connection. libcurl silently resends a request once when a reused
    // kept-alive connection dies before any answer; for a mutation that nothing can verify
    // afterwards (messages.create) that resend could apply it twice, so such requests never
    // ride a reused connection.
    bool fresh_connection = false;
};

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;
};

enum class TransportErrorKind {
    Timeout,           // no complete answer in time (the request may have been applied)
    Connect,           // could not connect: nothing was sent
    ConnectionDropped, // the connection closed before a full answer (may have been applied)
    Tls,               // certificate or handshake failure: configuration, not transient
    Resolve,           // host name did not resolve
    BodyTooLarge,      // the answer exceeded the size cap
    Other,
};

const char* to_string(TransportErrorKind k);

struct TransportError {
    TransportErrorKind kind = TransportErrorKind::Other;
    std::string message;
    // True when the request may have reached the server (so a mutation may have been applied).
    bool request_may_have_been_sent = false;
};

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    // Performs one exchange. Thread-compatible: one transport per worker thread.
    virtual Expected<HttpResponse, TransportError> perform(const HttpRequest& request) = 0;
};

}  // namespace wxbatch::webex
