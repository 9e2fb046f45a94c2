// Fuzzes webex::parse_error_body: any body, any status, gives a usable, bounded message and a
// one-line summary without control characters.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "wxbatch/webex/error_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const int status = 400 + (data[0] % 200);
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const wxbatch::webex::WebexError error = wxbatch::webex::parse_error_body(body, status);
    WXFUZZ_CHECK(!error.message.empty());
    // A cut string ends with "..." after at most k_error_field_limit bytes.
    constexpr std::size_t k_longest = wxbatch::webex::k_error_field_limit + 3;
    WXFUZZ_CHECK(error.message.size() <= k_longest);
    WXFUZZ_CHECK(error.tracking_id.size() <= k_longest);
    WXFUZZ_CHECK(error.descriptions.size() <= wxbatch::webex::k_error_descriptions_limit);
    for (const auto& description : error.descriptions) {
        WXFUZZ_CHECK(description.size() <= k_longest);
    }
    for (const char c : error.summary()) {
        const auto byte = static_cast<unsigned char>(c);
        WXFUZZ_CHECK(byte >= 0x20 && byte != 0x7f);
    }
    return 0;
}
