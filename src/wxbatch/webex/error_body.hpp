#pragma once
// Webex error bodies: {"message", "errors":[{"description"}], "trackingId"} and the other shapes
// Webex sends (telephony's {"error":{"message":[{"description"}]}}, OAuth's "error_description").
// Whatever arrives (empty, HTML, huge, JSON of the wrong shape) yields a usable message.

#include <string>
#include <string_view>
#include <vector>

namespace wxbatch::webex {

struct WebexError {
    std::string message;                    // never empty: falls back to "HTTP <status>"
    std::vector<std::string> descriptions;  // errors[].description, at most a few
    std::string tracking_id;                // the body's trackingId, if any

    // The message and the descriptions that add something, on one line
    // ("message: first; second"), with control characters removed and runs of spaces collapsed.
    std::string summary() const;
};

// Each kept string longer than 500 bytes is cut to at most 500 bytes (on a UTF-8 boundary) and
// marked with "...", so it is at most 503 bytes long; at most 10 descriptions are kept.
inline constexpr std::size_t k_error_field_limit = 500;
inline constexpr std::size_t k_error_descriptions_limit = 10;

// Extracts what a person needs from an error answer's body. Never throws.
WebexError parse_error_body(std::string_view body, int status);

}  // namespace wxbatch::webex
