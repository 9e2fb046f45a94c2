#include "wxbatch/webex/curl_transport.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>

#include <curl/curl.h>

#include "wxbatch/webex/curl_error.hpp"
#include "wxbatch/webex/curl_global.hpp"
#include "wxbatch/webex/curl_trace.hpp"

namespace wxbatch::webex {

namespace {

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// The host part of `url` for messages ("" when the URL does not parse).
std::string host_of(const std::string& url) {
    CURLU* handle = curl_url();
    std::string host;
    char* part = nullptr;
    if (handle != nullptr && curl_url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
        curl_url_get(handle, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
        host = part;
        curl_free(part);
    }
    curl_url_cleanup(handle);
    return host;
}

Slist build_header_list(const Headers& headers) {
    Slist list;
    const auto append = [&list](const std::string& line) {
        curl_slist* grown = curl_slist_append(list.get(), line.c_str());
        if (grown == nullptr) {
            throw std::bad_alloc();
        }
        static_cast<void>(list.release());  // `grown` now owns the old nodes
        list.reset(grown);
    };
    for (const auto& [name, value] : headers.all()) {
        // "Name;" is libcurl's way to send a header with an empty value.
        append(value.empty() ? name + ";" : name + ": " + value);
    }
    append("Expect:");  // no 100-continue round trip for large bodies
    if (!headers.get("Content-Type")) {
        append("Content-Type:");  // not libcurl's default application/x-www-form-urlencoded
    }
    return list;
}

// The name of the first header whose name or value holds a CR or LF (header injection).
std::optional<std::string> header_with_line_break(const Headers& headers) {
    for (const auto& [name, value] : headers.all()) {
        if (name.find_first_of("\r\n") != std::string::npos ||
            value.find_first_of("\r\n") != std::string::npos) {
            return name;
        }
    }
    return std::nullopt;
}

// Per-exchange state shared with the libcurl callbacks.
struct Exchange {
    HttpResponse response;
    std::size_t max_body_bytes = 0;
    bool body_too_large = false;
    bool request_started = false;
    const std::function<void(std::string_view)>* trace_sink = nullptr;
    char error_buffer[CURL_ERROR_SIZE] = {};
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    if (exchange->response.body.size() + n > exchange->max_body_bytes) {
        exchange->body_too_large = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    exchange->response.body.append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (line.starts_with("HTTP/")) {
        exchange->response.headers = Headers();  // a new answer (after 100 or a proxy's 200)
        return n;
    }
    const std::string_view content = trim(line);
    if (content.empty()) {
        return n;
    }
    const std::size_t colon = content.find(':');
    if (colon != std::string_view::npos && colon > 0) {
        exchange->response.headers.add(std::string(trim(content.substr(0, colon))),
                                       std::string(trim(content.substr(colon + 1))));
    }
    return n;
}

int on_prerequest(void* user, char*, char*, int, int) {
    static_cast<Exchange*>(user)->request_started = true;
    return CURL_PREREQFUNC_OK;
}

int on_trace(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
    if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT) {
        return 0;  // bodies and TLS records are not traced
    }
    const std::string text = redact_trace_headers(std::string_view(data, size));
    const auto* sink = static_cast<Exchange*>(user)->trace_sink;
    if (sink != nullptr && *sink) {
        (*sink)(text);
    } else {
        std::fwrite(text.data(), 1, text.size(), stderr);
    }
    return 0;
}

void set_method(CURL* easy, const HttpRequest& request) {
    if (request.method == HttpMethod::Get) {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        return;
    }
    if (request.method != HttpMethod::Post) {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, to_string(request.method));
    }
    if (request.method != HttpMethod::Delete || !request.body.empty()) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
    }
}

// Points the error buffer and every callback at `exchange`.
void set_callbacks(CURL* easy, bool verbose, Exchange& exchange) {
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, exchange.error_buffer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &exchange);
    curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &on_prerequest);
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, &exchange);
    if (verbose) {
        curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, &on_trace);
        curl_easy_setopt(easy, CURLOPT_DEBUGDATA, &exchange);
        curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
    }
}

// Sets every option of one exchange on `easy` (reset first: the connection cache survives).
void configure(CURL* easy, const HttpRequest& request, const CurlTransportOptions& options,
               const std::string& ca_file, const std::string& ca_dir, Exchange& exchange) {
    curl_easy_reset(easy);
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    // A zero total timeout means no limit (libcurl's convention); connecting is always bounded.
    const auto total = std::max(request.timeout, std::chrono::milliseconds(0));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
    const auto connect =
        total.count() > 0 ? std::min(total, options.connect_timeout) : options.connect_timeout;
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    if (request.fresh_connection) {
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    }
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!ca_file.empty()) {
        curl_easy_setopt(easy, CURLOPT_CAINFO, ca_file.c_str());
    }
    if (!ca_dir.empty()) {
        curl_easy_setopt(easy, CURLOPT_CAPATH, ca_dir.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options.max_body_bytes));
    set_callbacks(easy, options.verbose_trace, exchange);
    set_method(easy, request);
}

}  // namespace

void CurlTransport::EasyDeleter::operator()(void* easy) const {
    curl_easy_cleanup(easy);
}

CurlTransport::CurlTransport(CurlTransportOptions options) : m_options(std::move(options)) {
    CurlGlobal::ensure();
    m_ca_file = m_options.ca_bundle;
    if (m_ca_file.empty()) {
        m_ca_file = env_or_empty("CURL_CA_BUNDLE");
    }
    if (m_ca_file.empty()) {
        m_ca_file = env_or_empty("SSL_CERT_FILE");
    }
    m_ca_dir = env_or_empty("SSL_CERT_DIR");
    m_easy.reset(curl_easy_init());
    if (!m_easy) {
        throw std::runtime_error("libcurl could not create a handle (curl_easy_init)");
    }
}

CurlTransport::~CurlTransport() = default;
CurlTransport::CurlTransport(CurlTransport&& other) noexcept = default;
CurlTransport& CurlTransport::operator=(CurlTransport&& other) noexcept = default;

Expected<HttpResponse, TransportError> CurlTransport::perform(const HttpRequest& request) {
    if (const auto bad = header_with_line_break(request.headers)) {
        return unexpected(TransportError{TransportErrorKind::Other,
                                         "request header " + *bad + " holds a line break", false});
    }
    Exchange exchange;
    exchange.max_body_bytes = m_options.max_body_bytes;
    exchange.trace_sink = &m_options.trace_sink;
    configure(m_easy.get(), request, m_options, m_ca_file, m_ca_dir, exchange);
    const Slist headers = build_header_list(request.headers);
    curl_easy_setopt(m_easy.get(), CURLOPT_HTTPHEADER, headers.get());
    const CURLcode code = curl_easy_perform(m_easy.get());
    if (code != CURLE_OK) {
        CurlFailure failure{host_of(request.url),     exchange.error_buffer,
                            exchange.request_started, exchange.body_too_large,
                            m_options.max_body_bytes, request.timeout};
        return unexpected(translate_curl_error(code, failure));
    }
    long status = 0;
    curl_easy_getinfo(m_easy.get(), CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = static_cast<int>(status);
    return std::move(exchange.response);
}

}  // namespace wxbatch::webex
