#pragma once
// The real HttpTransport: one libcurl easy handle, reused across requests so that connections
// are kept alive. One transport per worker thread (a handle must not be shared).
//
// TLS: peer and host verification are always on. The CA bundle is, in order: the option
// `ca_bundle`, the environment's CURL_CA_BUNDLE, then SSL_CERT_FILE (libcurl the library reads
// neither); SSL_CERT_DIR sets the CA directory. Otherwise libcurl's built-in default applies.
// Proxies: libcurl itself reads https_proxy/HTTPS_PROXY, http_proxy (lower case only),
// ALL_PROXY and NO_PROXY/no_proxy from the environment; this transport does not override them.
// Signals: CURLOPT_NOSIGNAL is set (threads, timeouts without SIGALRM), so libcurl no longer
// ignores SIGPIPE around transfers: the program must ignore SIGPIPE itself (main does).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wxbatch/webex/http.hpp"

namespace wxbatch::webex {

struct CurlTransportOptions {
    std::chrono::milliseconds connect_timeout{10000};
    std::size_t max_body_bytes = 16 * 1024 * 1024;  // larger answers fail with BodyTooLarge
    std::string ca_bundle;  // empty = CURL_CA_BUNDLE, then SSL_CERT_FILE, then libcurl's default
    bool verbose_trace = false;  // libcurl's trace (text and headers, Authorization redacted)
    // Receives each trace chunk when verbose_trace is on; empty = standard error.
    std::function<void(std::string_view)> trace_sink;
};

class CurlTransport final : public HttpTransport {
  public:
    // Reads the CA environment variables now. Throws std::runtime_error when libcurl cannot
    // create a handle (out of memory).
    explicit CurlTransport(CurlTransportOptions options = {});
    ~CurlTransport() override;
    CurlTransport(CurlTransport&& other) noexcept;
    CurlTransport& operator=(CurlTransport&& other) noexcept;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    // One exchange; the total time is bounded by request.timeout (0 = no limit), connecting by
    // the smaller of that and options.connect_timeout. Redirects are not followed. HTTP/1.1.
    Expected<HttpResponse, TransportError> perform(const HttpRequest& request) override;

    // The CA bundle file in use ("" = libcurl's default) and CA directory ("" = none).
    const std::string& ca_file() const { return m_ca_file; }
    const std::string& ca_dir() const { return m_ca_dir; }

  private:
    struct EasyDeleter {
        void operator()(void* easy) const;
    };
    CurlTransportOptions m_options;
    std::string m_ca_file;
    std::string m_ca_dir;
    std::unique_ptr<void, EasyDeleter> m_easy;
};

}  // namespace wxbatch::webex
