#include "sim/sim_client.hpp"

#include <algorithm>

namespace wxsim::test {

namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::size_t append_header(char* data, std::size_t size, std::size_t count, void* out) {
    const std::string line(data, size * count);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        value.erase(value.find_last_not_of("\r\n") + 1);
        (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
    }
    return size * count;
}

}  // namespace

SimClient::SimClient(std::string origin, std::string token)
    : m_origin(std::move(origin)), m_token(std::move(token)), m_curl(curl_easy_init()) {}

SimClient::~SimClient() {
    curl_easy_cleanup(m_curl);
}

HttpResult SimClient::request(const std::string& method, const std::string& target,
                              const std::string& body, const std::vector<std::string>& headers) {
    HttpResult result;
    const std::string url = m_origin + target;
    curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(m_curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, append_header);
    curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &result.headers);
    if (method == "GET" || method == "DELETE") {
        curl_easy_setopt(m_curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(m_curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    } else {
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!m_token.empty()) {
        list = curl_slist_append(list, ("Authorization: Bearer " + m_token).c_str());
    }
    for (const auto& header : headers) {
        list = curl_slist_append(list, header.c_str());
    }
    curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, list);
    result.code = curl_easy_perform(m_curl);
    curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &result.status);
    curl_slist_free_all(list);
    return result;
}

void SimTest::SetUp() {
    m_options.tokens = {"t1"};
    m_options.seed = 7;
    m_options.clock = [this] { return m_clock.seconds.load(); };
    configure(m_options);
}

void SimTest::start() {
    m_server = std::make_unique<Server>();
    m_server->start(m_options);
    m_client = std::make_unique<SimClient>(origin(), "t1");
}

void SimTest::TearDown() {
    m_client.reset();
    if (m_server) {
        m_server->stop();
    }
}

std::string SimTest::origin() const {
    return "http://127.0.0.1:" + std::to_string(m_server->port());
}

nlohmann::json SimTest::seed(const nlohmann::json& data) {
    SimClient control(origin(), "");
    const HttpResult result = control.post("/_sim/seed", data);
    EXPECT_EQ(result.status, 200) << result.body;
    return result.json();
}

nlohmann::json SimTest::ledger() {
    SimClient control(origin(), "");
    return control.get("/_sim/ledger").json();
}

nlohmann::json SimTest::stats() {
    SimClient control(origin(), "");
    return control.get("/_sim/stats").json();
}

}  // namespace wxsim::test
