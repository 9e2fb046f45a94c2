#pragma once
// URLs for the Webex API: percent-encoding, joining a base URL with a path and a query, and
// turning a paging link back into a path relative to the base.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wxbatch::webex {

// Percent-encodes everything but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~),
// as %XX with upper-case hex. Suitable for a query key or value, or one path segment.
std::string url_encode(std::string_view text);

// base + path + "?" + query, with exactly one slash between base and path (base like
// "https://webexapis.com/v1" or "http://127.0.0.1:PORT/v1/", path like "/people" or "people").
// Query keys and values are given raw and encoded here; a path that already holds a query
// ("/people?cursor=x") is continued with "&". The path itself is used as given.
std::string build_url(const std::string& base, const std::string& path,
                      const std::vector<std::pair<std::string, std::string>>& query);

// The path and query of `absolute_url` relative to `base` ("/people?cursor=abc" for base
// "https://webexapis.com/v1" and "https://webexapis.com/v1/people?cursor=abc"); scheme and host
// compare in any case. nullopt when the URL is not under the base.
std::optional<std::string> relative_to_base(const std::string& base,
                                            const std::string& absolute_url);

}  // namespace wxbatch::webex
