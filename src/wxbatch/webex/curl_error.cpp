#include "wxbatch/webex/curl_error.hpp"

namespace wxbatch::webex {

namespace {

std::string describe(const char* what, CURLcode code, const CurlFailure& f) {
    std::string text = std::string(what) + " " + f.host + ": ";
    text += f.detail.empty() ? curl_easy_strerror(code) : f.detail;
    return text;
}

bool is_tls_verification(CURLcode code) {
    switch (code) {
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
            return true;
        default:
            return false;
    }
}

bool is_tls_other(CURLcode code) {
    switch (code) {
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_USE_SSL_FAILED:
            return true;
        default:
            return false;
    }
}

TransportError tls_error(CURLcode code, const CurlFailure& f) {
    const char* what = is_tls_verification(code) ? "TLS certificate verification failed for"
                                                 : "TLS handshake failed with";
    return {TransportErrorKind::Tls,
            describe(what, code, f) + "; set CURL_CA_BUNDLE or SSL_CERT_FILE to your CA bundle",
            false};
}

TransportError timeout_error(CURLcode code, const CurlFailure& f) {
    const std::string limit = std::to_string(f.timeout.count()) + " ms";
    if (!f.request_started) {
        return {TransportErrorKind::Connect,
                describe(("could not connect within " + limit + " to").c_str(), code, f), false};
    }
    return {TransportErrorKind::Timeout,
            describe(("no complete answer within " + limit + " from").c_str(), code, f), true};
}

TransportError dropped_error(CURLcode code, const CurlFailure& f) {
    if (!f.request_started) {
        return {TransportErrorKind::Connect, describe("could not send to", code, f), false};
    }
    return {TransportErrorKind::ConnectionDropped,
            describe("connection dropped before a full answer from", code, f), true};
}

TransportError too_large_error(const CurlFailure& f) {
    return {TransportErrorKind::BodyTooLarge,
            "the answer from " + f.host + " exceeded the " + std::to_string(f.max_body_bytes) +
                " byte limit",
            true};
}

}  // namespace

TransportError translate_curl_error(CURLcode code, const CurlFailure& failure) {
    if (is_tls_verification(code) || is_tls_other(code)) {
        return tls_error(code, failure);
    }
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return timeout_error(code, failure);
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return {TransportErrorKind::Resolve, describe("could not resolve", code, failure),
                    false};
        case CURLE_COULDNT_CONNECT:
            return {TransportErrorKind::Connect, describe("could not connect to", code, failure),
                    false};
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_BAD_CONTENT_ENCODING:
            return dropped_error(code, failure);
        case CURLE_FILESIZE_EXCEEDED:
            return too_large_error(failure);
        case CURLE_WRITE_ERROR:
            if (failure.body_too_large) {
                return too_large_error(failure);
            }
            break;
        default:
            break;
    }
    return {TransportErrorKind::Other, describe("request failed to", code, failure),
            failure.request_started};
}

}  // namespace wxbatch::webex
