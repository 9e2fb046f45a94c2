// Fuzzes webex::next_link and drop_max_null: a found target is text of the header, and dropping
// max=null never lengthens a URL.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
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
    return 0;
}
