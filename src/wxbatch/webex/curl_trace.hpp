#pragma once
// Redaction for the verbose libcurl trace: the Authorization header must never be shown.

#include <string>
#include <string_view>

namespace wxbatch::webex {

// Returns `header_block` (one or more "Name: value" lines as libcurl traces them) with the value
// of every Authorization and Proxy-Authorization header replaced by "<redacted>".
std::string redact_trace_headers(std::string_view header_block);

}  // namespace wxbatch::webex
