#pragma once
// The one place where a libcurl result code becomes a TransportError (STYLE: CURLcode is
// translated to our error kinds in exactly one place). Messages name the host, never a header
// value, so they cannot carry the token.

#include <chrono>
#include <cstddef>
#include <string>

#include <curl/curl.h>

#include "wxbatch/webex/http.hpp"

namespace wxbatch::webex {

// What the transport observed about one failed exchange, beyond the CURLcode.
struct CurlFailure {
    std::string host;    // host name of the request URL, for messages
    std::string detail;  // libcurl's error buffer (may be empty)
    // True once a connection was established (or reused) and the request was about to be
    // written: from then on the server may have received it.
    bool request_started = false;
    bool body_too_large = false;  // the write callback refused data beyond the cap
    std::size_t max_body_bytes = 0;
    std::chrono::milliseconds timeout{0};  // the total timeout of the exchange
};

// Maps `code` (not CURLE_OK) to a TransportError kind, a one-line message and whether the
// request may have reached the server. TLS failures carry a hint about CURL_CA_BUNDLE and
// SSL_CERT_FILE.
TransportError translate_curl_error(CURLcode code, const CurlFailure& failure);

}  // namespace wxbatch::webex
