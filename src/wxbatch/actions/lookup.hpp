#pragma once
// Lookups that tell whether a mutation is in effect, following Webex's `Link: <...>; rel="next"`
// paging. A failed lookup is returned as the ApiResult that failed.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "wxbatch/util/expected.hpp"
#include "wxbatch/webex/api.hpp"

namespace wxbatch::actions {

// The URL of the rel="next" entry of a Link header value, or nullopt when there is none.
std::optional<std::string> parse_next_link(const std::string& link_header);

// The query parameters of an absolute next-page URL, percent-decoded, without the `max=null`
// that Webex puts in some next links. They are sent with the original path, so the base URL's
// prefix (`/v1` or a simulator's) never has to be stripped from the link.
std::vector<std::pair<std::string, std::string>> next_page_query(std::string_view url);

// Pages through the list that `request` (a GET) returns and gives the first item of its
// `items` for which `accept` is true, nullopt when no page has one. Gives up after 1000 pages.
Expected<std::optional<nlohmann::json>, webex::ApiResult> find_item(
    webex::ApiCaller& api, webex::ApiRequest request,
    const std::function<bool(const nlohmann::json&)>& accept);

// True when the string at `item[key]` equals `value` ignoring ASCII case.
bool field_equals(const nlohmann::json& item, const char* key, std::string_view value);

// The person with this primary email (GET /people?email=), nullopt when there is none.
// With `calling_data` the lookup asks for Webex Calling fields too (callingData=true).
Expected<std::optional<nlohmann::json>, webex::ApiResult> find_person(webex::ApiCaller& api,
                                                                      const std::string& email,
                                                                      bool calling_data = false);

// The membership of `person_email` in the room (GET /memberships?roomId=&personEmail=).
Expected<std::optional<nlohmann::json>, webex::ApiResult> find_membership(
    webex::ApiCaller& api, const std::string& room_id, const std::string& person_email);

// The membership of `person_email` in the team (GET /team/memberships?teamId=, filtered).
Expected<std::optional<nlohmann::json>, webex::ApiResult> find_team_membership(
    webex::ApiCaller& api, const std::string& team_id, const std::string& person_email);

}  // namespace wxbatch::actions
