#pragma once
// Real servers on 127.0.0.1, port 0, for transport tests:
// - LocalHttpServer: a cpp-httplib server (plain or TLS) that counts the TCP connections it saw;
// - RawTcpServer: accepts, reads a request head, writes a canned reply (possibly nothing or a
//   truncated answer) and closes: for dropped connections and proxy checks;
// - TestCertificate: a self-signed certificate for 127.0.0.1 made with OpenSSL.
// - TransportEnv: clears the proxy and CA variables libcurl or CurlTransport read, restoring
//   them afterwards, so the machine's settings cannot reroute loopback tests.
// Every thread is joined in the destructor; nothing sleeps.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace wxbatch::test {

// A self-signed EC P-256 certificate for CN and IP SAN 127.0.0.1, valid for an hour.
class TestCertificate {
  public:
    TestCertificate()
        : m_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free),
          m_cert(X509_new(), &X509_free) {
        if (!m_key || !m_cert) {
            throw std::runtime_error("OpenSSL could not create a key or certificate");
        }
        X509* x = m_cert.get();
        X509_set_version(x, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(x), next_serial());
        X509_gmtime_adj(X509_getm_notBefore(x), -60);
        X509_gmtime_adj(X509_getm_notAfter(x), 3600);
        X509_set_pubkey(x, m_key.get());
        X509_NAME* name = X509_get_subject_name(x);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
        X509_set_issuer_name(x, name);
        add_extension(NID_subject_alt_name, "IP:127.0.0.1");
        add_extension(NID_basic_constraints, "critical,CA:TRUE");
        if (X509_sign(x, m_key.get(), EVP_sha256()) == 0) {
            throw std::runtime_error("OpenSSL could not sign the test certificate");
        }
    }

    X509* cert() const { return m_cert.get(); }
    EVP_PKEY* key() const { return m_key.get(); }

    // The certificate in PEM form (what a CA bundle file holds).
    std::string pem() const {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
        PEM_write_bio_X509(bio.get(), m_cert.get());
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(size));
    }

  private:
    static long next_serial() {
        static long serial = 1;
        return ++serial;
    }

    void add_extension(int nid, const char* value) {
        X509V3_CTX ctx;
        X509V3_set_ctx(&ctx, m_cert.get(), m_cert.get(), nullptr, nullptr, 0);
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        if (ext == nullptr) {
            throw std::runtime_error("OpenSSL could not build a certificate extension");
        }
        X509_add_ext(m_cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }

    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> m_key;
    std::unique_ptr<X509, decltype(&X509_free)> m_cert;

  public:
    TestCertificate(const TestCertificate&) = delete;
    TestCertificate& operator=(const TestCertificate&) = delete;
};

// A cpp-httplib server on 127.0.0.1:0. `routes` registers handlers before it starts.
class LocalHttpServer {
  public:
    using Routes = std::function<void(httplib::Server&)>;

    explicit LocalHttpServer(const Routes& routes) : m_server(std::make_unique<httplib::Server>()) {
        start(routes);
    }

    LocalHttpServer(const TestCertificate& certificate, const Routes& routes)
        : m_server(std::make_unique<httplib::SSLServer>(certificate.cert(), certificate.key())),
          m_tls(true) {
        start(routes);
    }

    ~LocalHttpServer() {
        m_server->stop();
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

    LocalHttpServer(const LocalHttpServer&) = delete;
    LocalHttpServer& operator=(const LocalHttpServer&) = delete;

    int port() const { return m_port; }
    // "http://127.0.0.1:PORT" (or https).
    std::string url() const {
        return std::string(m_tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(m_port);
    }
    // Distinct client connections (remote ports) that sent at least one request.
    std::size_t connection_count() const {
        std::lock_guard lock(m_mutex);
        return m_remote_ports.size();
    }
    std::size_t request_count() const {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

  private:
    void start(const Routes& routes) {
        if (!m_server->is_valid()) {
            throw std::runtime_error("the test HTTP server could not be set up");
        }
        m_server->set_tcp_nodelay(true);
        m_server->set_keep_alive_max_count(1000);  // httplib closes after 5 by default
        m_server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
            std::lock_guard lock(m_mutex);
            m_remote_ports.insert(req.remote_port);
            ++m_requests;
            return httplib::Server::HandlerResponse::Unhandled;
        });
        routes(*m_server);
        m_port = m_server->bind_to_any_port("127.0.0.1");
        if (m_port <= 0) {
            throw std::runtime_error("the test HTTP server could not bind 127.0.0.1:0");
        }
        m_thread = std::jthread([this] {
            m_server->listen_after_bind();
            m_listen_returned = true;
        });
        // httplib's stop() does nothing until the accept loop runs: wait for it to start.
        while (!m_server->is_running() && !m_listen_returned) {
            std::this_thread::yield();
        }
    }

    std::unique_ptr<httplib::Server> m_server;
    bool m_tls = false;
    int m_port = 0;
    std::atomic<bool> m_listen_returned{false};
    std::jthread m_thread;
    mutable std::mutex m_mutex;
    std::set<int> m_remote_ports;
    std::size_t m_requests = 0;
};

// Accepts connections on 127.0.0.1:0; for each, reads the request head, writes `reply` (may be
// empty: the connection is closed without an answer) and closes.
class RawTcpServer {
  public:
    explicit RawTcpServer(std::string reply) : m_reply(std::move(reply)) {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_listen < 0 || ::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(m_listen, 16) != 0 ||
            ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("the raw test server could not listen on 127.0.0.1:0");
        }
        m_port = ntohs(addr.sin_port);
        m_thread = std::jthread([this](std::stop_token stop) { serve(stop); });
    }

    ~RawTcpServer() {
        m_thread.request_stop();
        m_thread.join();
        ::close(m_listen);
    }

    RawTcpServer(const RawTcpServer&) = delete;
    RawTcpServer& operator=(const RawTcpServer&) = delete;

    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // The request heads received so far.
    std::vector<std::string> heads() const {
        std::lock_guard lock(m_mutex);
        return m_heads;
    }

  private:
    void serve(const std::stop_token& stop) {
        while (!stop.stop_requested()) {
            pollfd pfd{m_listen, POLLIN, 0};
            if (::poll(&pfd, 1, 20) <= 0) {
                continue;
            }
            const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0) {
                answer(fd);
                ::close(fd);
            }
        }
    }

    void answer(int fd) {
        std::string head;
        char buffer[4096];
        while (head.find("\r\n\r\n") == std::string::npos) {
            pollfd pfd{fd, POLLIN, 0};
            if (::poll(&pfd, 1, 2000) <= 0) {
                break;
            }
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0) {
                break;
            }
            head.append(buffer, static_cast<std::size_t>(n));
        }
        {
            std::lock_guard lock(m_mutex);
            m_heads.push_back(head);
        }
        if (!m_reply.empty()) {
            [[maybe_unused]] const ssize_t written = ::write(fd, m_reply.data(), m_reply.size());
        }
        ::shutdown(fd, SHUT_WR);
    }

    std::string m_reply;
    int m_listen = -1;
    int m_port = 0;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_heads;
    std::jthread m_thread;
};

// A port on 127.0.0.1 that refuses connections: bound but never listening, held while alive.
class RefusingPort {
  public:
    RefusingPort() {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("could not bind 127.0.0.1:0");
        }
        m_port = ntohs(addr.sin_port);
    }
    ~RefusingPort() { ::close(m_fd); }
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

  private:
    int m_fd = -1;
    int m_port = 0;
};

// Clears the transport-related environment for its lifetime; set() changes one variable.
class TransportEnv {
  public:
    TransportEnv() {
        for (const char* name :
             {"http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
              "no_proxy", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"}) {
            set(name, std::nullopt);
        }
    }
    ~TransportEnv() {
        for (const auto& [name, value] : m_saved) {
            if (value) {
                ::setenv(name.c_str(), value->c_str(), 1);
            } else {
                ::unsetenv(name.c_str());
            }
        }
    }
    TransportEnv(const TransportEnv&) = delete;
    TransportEnv& operator=(const TransportEnv&) = delete;

    // Sets (or, with nullopt, unsets) `name` until destruction.
    void set(const std::string& name, const std::optional<std::string>& value) {
        if (m_saved.find(name) == m_saved.end()) {
            const char* old = std::getenv(name.c_str());
            m_saved[name] = old ? std::optional<std::string>(old) : std::nullopt;
        }
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }

  private:
    std::map<std::string, std::optional<std::string>> m_saved;
};

}  // namespace wxbatch::test
