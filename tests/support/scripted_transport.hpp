#pragma once
// An HttpTransport for tests: answers from a script (queued answers, or a responder function)
// and records every request it was given. Thread-safe, so a multi-worker test may share one.

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "wxbatch/webex/http.hpp"

namespace wxbatch::test {

class ScriptedTransport final : public webex::HttpTransport {
  public:
    using Answer = Expected<webex::HttpResponse, webex::TransportError>;
    using Responder = std::function<Answer(const webex::HttpRequest&)>;

    // Queues an HTTP answer.
    ScriptedTransport& respond(int status, std::string body = {}, webex::Headers headers = {}) {
        webex::HttpResponse response;
        response.status = status;
        response.body = std::move(body);
        response.headers = std::move(headers);
        return push(Answer(std::move(response)));
    }

    // Queues a transport failure.
    ScriptedTransport& fail(webex::TransportErrorKind kind, bool may_have_been_sent,
                            std::string message = "scripted failure") {
        return push(
            unexpected(webex::TransportError{kind, std::move(message), may_have_been_sent}));
    }

    // Answers requests for which no queued answer is left (default: a TransportError Other
    // "script exhausted", so a test that sends more than it scripted fails visibly).
    void set_responder(Responder responder) {
        std::lock_guard lock(m_mutex);
        m_responder = std::move(responder);
    }

    Answer perform(const webex::HttpRequest& request) override {
        std::unique_lock lock(m_mutex);
        m_requests.push_back(request);
        if (!m_script.empty()) {
            Answer answer = std::move(m_script.front());
            m_script.pop_front();
            return answer;
        }
        if (m_responder) {
            Responder responder = m_responder;
            lock.unlock();
            return responder(request);
        }
        return unexpected(
            webex::TransportError{webex::TransportErrorKind::Other, "script exhausted", false});
    }

    // Every request performed so far, in order.
    std::vector<webex::HttpRequest> requests() const {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

    std::size_t request_count() const {
        std::lock_guard lock(m_mutex);
        return m_requests.size();
    }

    // Queued answers not consumed yet.
    std::size_t remaining() const {
        std::lock_guard lock(m_mutex);
        return m_script.size();
    }

  private:
    ScriptedTransport& push(Answer answer) {
        std::lock_guard lock(m_mutex);
        m_script.push_back(std::move(answer));
        return *this;
    }

    mutable std::mutex m_mutex;
    std::deque<Answer> m_script;
    Responder m_responder;
    std::vector<webex::HttpRequest> m_requests;
};

}  // namespace wxbatch::test
