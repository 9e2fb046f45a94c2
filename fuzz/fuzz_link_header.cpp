// Fuzzes both Link-header readers: webex::next_link/drop_max_null and the one lookups page with,
// actions::parse_next_link/next_page_query. A found target is text of the header; dropping
// max=null never lengthens a URL; a next page's query has no empty key and no max=null.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "wxbatch/actions/lookup.hpp"
#include "wxbatch/webex/link_header.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view header(reinterpret_cast<const char*>(data), size);
    if (const auto next = wxbatch::webex::next_link(header)) {
        WXFUZZ_CHECK(header.find(*next) != std::string_view::npos);
        const std::string dropped = wxbatch::webex::drop_max_null(*next);
        WXFUZZ_CHECK(dropped.size() <= next->size());
    }
    const std::string dropped = wxbatch::webex::drop_max_null(std::string(header));
    WXFUZZ_CHECK(dropped.size() <= header.size());

    const std::string text(header);
    if (const auto next = wxbatch::actions::parse_next_link(text)) {
        WXFUZZ_CHECK(text.find(*next) != std::string::npos);
    }
    for (const auto& [key, value] : wxbatch::actions::next_page_query(header)) {
        WXFUZZ_CHECK(!key.empty());
        WXFUZZ_CHECK(!(key == "max" && value == "null"));
    }
    return 0;
}
