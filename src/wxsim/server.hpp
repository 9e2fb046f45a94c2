#pragma once
// The simulator as an object: serves the Webex API on 127.0.0.1 from a thread pool until
// stop(). Used by wxsim's main and by in-process tests.

#include <memory>
#include <string>
#include <thread>

#include "wxsim/options.hpp"

namespace httplib {
class Server;
}

namespace wxsim {

class Router;
class SimState;

class Server {
  public:
    Server();
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds 127.0.0.1:options.port (0 picks a free port), applies options.seed_data, starts
    // serving and returns the port once connections are accepted. Throws std::runtime_error
    // when it cannot bind, std::invalid_argument on bad seed data. Call once.
    int start(Options options);

    // Stops serving, ends slow responses in progress and joins the server thread. Idempotent.
    void stop();

    int port() const { return m_port; }

    // "http://127.0.0.1:PORT/v1".
    std::string base_url() const;

    // The simulator's state (ledger, stats, store) for in-process inspection.
    SimState& state();

  private:
    void install_pipeline();

    std::unique_ptr<SimState> m_state;
    std::unique_ptr<httplib::Server> m_http;
    std::unique_ptr<Router> m_router;
    std::jthread m_thread;
    int m_port = 0;
};

}  // namespace wxsim
