#pragma once
// UTF-8 well-formedness (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).

#include <cstddef>
#include <optional>
#include <string_view>

namespace wxbatch::csv {

// The offset of the first byte that starts an ill-formed sequence in `text`, or nullopt when
// the whole text is well-formed UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace wxbatch::csv
