#pragma once
// Writing Webex-style answers: JSON bodies, error bodies with the tracking id, paged lists with
// a Link header, and mutation answers that honour "applied, then failed".

#include <optional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "wxsim/store.hpp"

namespace wxsim {

void send_json(httplib::Response& res, int status, const nlohmann::json& body);

// Status plus {"message", "errors":[{"description"}], "trackingId"} with this request's
// tracking id.
void send_error(httplib::Response& res, int status, const std::string& message);

// The body parsed as JSON; on malformed JSON answers a Webex-style 400 and returns nothing.
std::optional<nlohmann::json> parse_body(const httplib::Request& req, httplib::Response& res);

// Answers an outcome as is: 204 without a body, the body on success, the error otherwise.
void send_outcome(httplib::Response& res, const Outcome& outcome);

// Answers a mutation's outcome; when it was applied and the fault engine chose
// applied-then-failed, answers 502 or drops the connection instead.
void send_mutation(const httplib::Request& req, httplib::Response& res, const Outcome& outcome);

// Answers {"items": [...]} for the page chosen by the `max` and `cursor` query parameters,
// with a `Link: <...>; rel="next"` header when more items remain. 400 on a bad `max`.
void send_page(const httplib::Request& req, httplib::Response& res,
               const std::vector<nlohmann::json>& items, int port);

// Percent-encodes a query parameter value.
std::string percent_encode(const std::string& value);

}  // namespace wxsim
