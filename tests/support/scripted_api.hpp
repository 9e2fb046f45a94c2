#pragma once
// A scripted webex::ApiCaller for action tests: it records every request and answers from a
// script of results, in order. A call beyond the script fails the test and answers Stopped.

#include <gtest/gtest.h>

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "wxbatch/actions/action.hpp"
#include "wxbatch/csv/row_record.hpp"
#include "wxbatch/webex/api.hpp"

namespace wxbatch::testing {

inline const char* method_name(webex::HttpMethod method) {
    switch (method) {
        case webex::HttpMethod::Get:
            return "GET";
        case webex::HttpMethod::Post:
            return "POST";
        case webex::HttpMethod::Put:
            return "PUT";
        case webex::HttpMethod::Patch:
            return "PATCH";
        case webex::HttpMethod::Delete:
            return "DELETE";
    }
    return "?";
}

// "POST /people?callingData=true": the method, path and query of a request, query unencoded.
inline std::string request_line(const webex::ApiRequest& request) {
    std::string line = std::string(method_name(request.method)) + " " + request.path;
    for (std::size_t i = 0; i < request.query.size(); ++i) {
        line += (i == 0 ? "?" : "&") + request.query[i].first + "=" + request.query[i].second;
    }
    return line;
}

class ScriptedApi final : public webex::ApiCaller {
  public:
    explicit ScriptedApi(int max_attempts = 3) : m_max_attempts(max_attempts) {}

    // Appends an answer to the script.
    ScriptedApi& then(webex::ApiResult result) {
        m_script.push_back(std::move(result));
        return *this;
    }

    webex::ApiResult call(const webex::ApiRequest& request) override {
        m_calls.push_back(request);
        ++m_attempts;
        if (m_script.empty()) {
            ADD_FAILURE() << "unscripted call: " << request_line(request);
            webex::ApiResult stopped;
            stopped.status = webex::CallStatus::Stopped;
            stopped.message = "unscripted";
            return stopped;
        }
        webex::ApiResult result = std::move(m_script.front());
        m_script.pop_front();
        return result;
    }

    int attempts() const override { return m_attempts; }
    int max_attempts() const override { return m_max_attempts; }

    const std::vector<webex::ApiRequest>& calls() const { return m_calls; }
    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        for (const auto& request : m_calls) {
            out.push_back(request_line(request));
        }
        return out;
    }
    std::size_t unused() const { return m_script.size(); }

  private:
    int m_max_attempts;
    int m_attempts = 0;
    std::deque<webex::ApiResult> m_script;
    std::vector<webex::ApiRequest> m_calls;
};

inline webex::ApiResult ok(nlohmann::json body = nullptr, int status = 200) {
    webex::ApiResult result;
    result.status = webex::CallStatus::Ok;
    result.http_status = status;
    result.set_body(std::move(body));
    result.tracking_id = "TRACK_OK";
    return result;
}

// A 200 list page: {"items": items}, with a Link rel="next" header when `next` is given.
inline webex::ApiResult page(nlohmann::json items, std::optional<std::string> next = {}) {
    webex::ApiResult result = ok(nlohmann::json{{"items", std::move(items)}});
    if (next) {
        result.headers.add("Link", "<" + *next + ">; rel=\"next\"");
    }
    return result;
}

inline webex::ApiResult http_error(int status, std::string message = "refused") {
    webex::ApiResult result;
    result.status = webex::CallStatus::HttpError;
    result.http_status = status;
    result.message = std::move(message);
    result.tracking_id = "TRACK_" + std::to_string(status);
    return result;
}

inline webex::ApiResult ambiguous(int http_status = 0, std::string message = "timeout after send") {
    webex::ApiResult result;
    result.status = webex::CallStatus::Ambiguous;
    result.http_status = http_status;
    result.message = std::move(message);
    return result;
}

inline webex::ApiResult exhausted(int http_status = 503) {
    webex::ApiResult result;
    result.status = webex::CallStatus::Exhausted;
    result.http_status = http_status;
    result.message = "HTTP 503 after 5 attempts";
    result.tracking_id = "TRACK_EXHAUSTED";
    return result;
}

inline webex::ApiResult stopped() {
    webex::ApiResult result;
    result.status = webex::CallStatus::Stopped;
    result.message = "run stopping";
    return result;
}

// A data row with these fields (row 1, line 2).
inline csv::RowRecord make_row(std::vector<std::string> fields) {
    csv::RowRecord row;
    row.row_number = 1;
    row.line_number = 2;
    row.fields = std::move(fields);
    return row;
}

// The action's column map for `header`; an empty map (and a test failure) when it does not bind.
inline actions::ColumnMap bind(const actions::Action& action, std::vector<std::string> header) {
    auto map = action.bind_header(header);
    if (!map) {
        ADD_FAILURE() << map.error();
        return {};
    }
    return std::move(map).value();
}

}  // namespace wxbatch::testing
