#pragma once
// CRC-32 (the zlib/IEEE 802.3 polynomial), for detecting torn or damaged log records.

#include <cstdint>
#include <string_view>

namespace wxbatch {

// The CRC-32 of `data`, continuing from `crc` (0 to start). crc32("123456789") == 0xCBF43926.
std::uint32_t crc32(std::string_view data, std::uint32_t crc = 0);

}  // namespace wxbatch
