#include "wxsim/server.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <memory>
#include <stdexcept>

#include <httplib.h>
#include <sys/socket.h>

#include "wxsim/request_context.hpp"
#include "wxsim/responses.hpp"
#include "wxsim/router.hpp"
#include "wxsim/sim_state.hpp"

namespace wxsim {

namespace {

using httplib::Request;
using httplib::Response;

constexpr std::size_t k_keep_alive_max_count = 1000000;
// Connections the kernel queues before the accept loop takes them (see Server::start).
constexpr int k_listen_backlog = 1024;

bool is_control(const std::string& path) {
    return path.rfind("/_sim/", 0) == 0;
}

// Decides faults for an API request; Handled when the answer (or the drop) is final.
httplib::Server::HandlerResponse pre_route(SimState& state, const Request& req, Response& res) {
    RequestContext& context = current_request();
    context = RequestContext{};
    context.active = true;
    context.state = &state;
    context.tracking_id = req.has_header("TrackingID") ? req.get_header_value("TrackingID")
                                                       : state.next_tracking_id();
    context.api = !is_control(req.path);
    if (!context.api) {
        return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("TrackingID", context.tracking_id);
    const bool authorized = state.token_accepted(req.get_header_value("Authorization"));
    context.decision = state.faults().decide(req.method, req.path, authorized, state.now());
    const Decision& decision = context.decision;
    state.pause_ms(decision.delay_ms);
    if (decision.drop) {
        if (drop_current_request(req)) {
            return httplib::Server::HandlerResponse::Handled;
        }
    }
    if (decision.status == 0) {
        return httplib::Server::HandlerResponse::Unhandled;
    }
    if (!decision.retry_after.empty()) {
        res.set_header("Retry-After", decision.retry_after);
    }
    send_error(res, decision.status, decision.message);
    return httplib::Server::HandlerResponse::Handled;
}

// Counts the request in the stats once its answer is known.
void post_route(SimState& state, const Request& req, const Response& res) {
    RequestContext& context = current_request();
    if (!context.active) {
        // httplib answered without pre-routing (e.g. 413): the context is a previous request's.
        context = RequestContext{};
        context.state = &state;
        context.api = !is_control(req.path);
    }
    if (context.api) {
        count_request(req, std::to_string(res.status));
    }
    context.active = false;
}

// Gives httplib's own error answers (404, 413, ...) a Webex-style body; 405 for a known path.
httplib::Server::HandlerResponse on_error(SimState& state, const Router& router, const Request& req,
                                          Response& res) {
    if (!res.body.empty() || current_request().dropped) {
        return httplib::Server::HandlerResponse::Unhandled;
    }
    RequestContext& context = current_request();
    if (!context.active) {
        context.tracking_id = state.next_tracking_id();
    }
    if (!res.has_header("TrackingID")) {
        res.set_header("TrackingID", context.tracking_id);
    }
    if (res.status == 404 && router.knows_path(req.path)) {
        res.status = 405;
    }
    std::string message = res.status == 404   ? "The requested resource could not be found."
                          : res.status == 405 ? "Method not allowed."
                          : res.status == 413 ? "The request body is too large."
                                              : "The request could not be served.";
    send_error(res, res.status, message);
    return httplib::Server::HandlerResponse::Handled;
}

void on_exception(const Request&, Response& res, const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const nlohmann::json::exception&) {
        send_error(res, 400, "The request body has a field of the wrong type.");
    } catch (...) {
        send_error(res, 500, "Internal simulator error.");
    }
}

}  // namespace

Server::Server() = default;

Server::~Server() {
    stop();
}

SimState& Server::state() {
    return *m_state;
}

std::string Server::base_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/v1";
}

void Server::install_pipeline() {
    SimState& state = *m_state;
    const Router& router = *m_router;
    m_http->set_pre_routing_handler(
        [&state](const Request& req, Response& res) { return pre_route(state, req, res); });
    m_http->set_post_routing_handler(
        [&state](const Request& req, Response& res) { post_route(state, req, res); });
    m_http->set_error_handler(
        httplib::Server::HandlerWithResponse([&state, &router](const Request& req, Response& res) {
            return on_error(state, router, req, res);
        }));
    m_http->set_exception_handler(on_exception);
    register_people_routes(*m_router, state);
    register_license_routes(*m_router, state);
    register_membership_routes(*m_router, state);
    register_space_routes(*m_router, state);
    register_control_routes(*m_router, state);
}

int Server::start(Options options) {
    if (m_http) {
        throw std::logic_error("wxsim::Server::start called twice");
    }
    std::signal(SIGPIPE, SIG_IGN);
    const int threads = std::max(4, options.threads);
    const std::size_t max_body = options.max_body_bytes;
    const int wanted_port = options.port;
    m_state = std::make_unique<SimState>(std::move(options));
    if (!m_state->options().seed_data.is_null()) {
        m_state->store().seed(m_state->options().seed_data);
    }
    m_http = std::make_unique<httplib::Server>();
    m_router = std::make_unique<Router>(*m_http);
    m_http->new_task_queue = [threads] {
        return new httplib::ThreadPool(static_cast<std::size_t>(threads));
    };
    m_http->set_tcp_nodelay(true);
    m_http->set_payload_max_length(max_body);
    m_http->set_keep_alive_max_count(k_keep_alive_max_count);
    install_pipeline();
    // cpp-httplib listens with a backlog of 5: when a client opens dozens of connections at once
    // (wxbatch's lanes at start-up) the kernel drops the SYNs past it, and those connections
    // wait for TCP's 1-second retransmission. Listening again on the bound socket raises it.
    auto listen_fd = std::make_shared<socket_t>(INVALID_SOCKET);
    m_http->set_socket_options([listen_fd](socket_t sock) {
        httplib::default_socket_options(sock);
        *listen_fd = sock;
    });
    m_port = wanted_port == 0 ? m_http->bind_to_any_port("127.0.0.1")
                              : (m_http->bind_to_port("127.0.0.1", wanted_port) ? wanted_port : -1);
    if (m_port <= 0) {
        throw std::runtime_error("cannot bind 127.0.0.1:" + std::to_string(wanted_port));
    }
    if (*listen_fd != INVALID_SOCKET) {
        ::listen(*listen_fd, k_listen_backlog);
    }
    m_state->set_port(m_port);
    m_thread = std::jthread([this] { m_http->listen_after_bind(); });
    // The socket already listens (connections queue in the backlog); wait for the accept loop.
    for (int i = 0; i < 5000 && !m_http->is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return m_port;
}

void Server::stop() {
    if (!m_http) {
        return;
    }
    m_state->stop_pauses();
    m_http->stop();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

}  // namespace wxsim
