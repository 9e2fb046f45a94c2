// Fuzzes state::parse_checkpoint: any text is a checkpoint or an error with a message, and a
// checkpoint that parsed survives a round trip through to_json unchanged.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "wxbatch/state/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto parsed = wxbatch::state::parse_checkpoint(text, "checkpoint.json");
    if (!parsed) {
        WXFUZZ_CHECK(!parsed.error().message.empty());
        return 0;
    }
    const nlohmann::json once = wxbatch::state::to_json(*parsed);
    auto again = wxbatch::state::parse_checkpoint(once.dump(), "checkpoint.json");
    WXFUZZ_CHECK(again.has_value());
    WXFUZZ_CHECK(wxbatch::state::to_json(*again) == once);
    return 0;
}
