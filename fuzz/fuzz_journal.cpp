// Fuzzes state::parse_journal: any bytes are a state or an error with a message; a state's
// valid_bytes is within the input, and the prefix of valid_bytes parses to the same state
// without a torn tail.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "wxbatch/state/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string run_id = "run-fuzz";
    auto state = wxbatch::state::parse_journal(bytes, "journal.wxj", run_id);
    if (!state) {
        WXFUZZ_CHECK(!state.error().message.empty());
        return 0;
    }
    WXFUZZ_CHECK(state->valid_bytes <= size);
    WXFUZZ_CHECK(state->truncated_tail == (state->valid_bytes < size));
    auto prefix =
        wxbatch::state::parse_journal(bytes.substr(0, state->valid_bytes), "journal.wxj", run_id);
    WXFUZZ_CHECK(prefix.has_value());
    WXFUZZ_CHECK(!prefix->truncated_tail);
    WXFUZZ_CHECK(prefix->valid_bytes == state->valid_bytes);
    WXFUZZ_CHECK(prefix->outcomes == state->outcomes);
    WXFUZZ_CHECK(prefix->in_flight == state->in_flight);
    return 0;
}
