// Fuzzes resilience::parse_retry_after: any header gives either a delay in [0, cap] or no delay
// with a problem text; never both missing, never negative, never past the cap.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "wxbatch/resilience/retry_after.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace std::chrono;
    const std::string_view header(reinterpret_cast<const char*>(data), size);
    // A fixed "now" (2026-11-24T21:00:00Z) so that a crash reproduces.
    const wxbatch::WallTime now{seconds(1795554000)};
    const wxbatch::Duration cap{120.0};
    const wxbatch::resilience::RetryAfter parsed =
        wxbatch::resilience::parse_retry_after(header, now, cap);
    if (parsed.delay) {
        WXFUZZ_CHECK(parsed.delay->count() >= 0.0);
        WXFUZZ_CHECK(parsed.delay->count() <= cap.count());
        WXFUZZ_CHECK(parsed.problem.empty());
        WXFUZZ_CHECK(!parsed.clamped || parsed.delay->count() == cap.count());
    } else {
        WXFUZZ_CHECK(!parsed.problem.empty());
    }
    return 0;
}
