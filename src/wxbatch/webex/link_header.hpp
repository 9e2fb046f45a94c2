#pragma once
// Paging: the RFC 8288 Link header Webex sends with list answers.

#include <optional>
#include <string>
#include <string_view>

namespace wxbatch::webex {

// The target of the first link whose rel (quoted or not, possibly a space-separated list such
// as rel="next last", any case) contains "next"; nullopt when there is none or the header is
// malformed.
std::optional<std::string> next_link(std::string_view link_header);

// `url` without a `max=null` query parameter (Webex has sent such next links); other
// parameters and their order are kept.
std::string drop_max_null(std::string url);

}  // namespace wxbatch::webex
