#pragma once
// Webex-looking identifiers: base64url (no padding) of `ciscospark://us/<KIND>/<uuid>`.

#include <cstdint>
#include <string>
#include <string_view>

namespace wxsim {

// Base64url without padding.
std::string base64url(std::string_view bytes);

// Formats 128 bits as a version-4-looking UUID.
std::string format_uuid(std::uint64_t high, std::uint64_t low);

// A stable UUID derived from a text (FNV-1a based), e.g. for a person known only by email.
std::string uuid_of_text(std::string_view text);

// The Webex id of a resource of `kind` (PEOPLE, ROOM, TEAM, MEMBERSHIP, ...) with `uuid`.
std::string webex_id(std::string_view kind, std::string_view uuid);

// The current UTC time as an ISO 8601 timestamp with milliseconds, as Webex writes them.
std::string now_iso8601();

// The current UTC time plus `seconds`, as an IMF-fixdate (HTTP-date).
std::string http_date_in(double seconds);

}  // namespace wxsim
