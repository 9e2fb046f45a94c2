#pragma once
// SHA-256 of files and strings, as lowercase hex.

#include <string>
#include <string_view>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"

namespace wxbatch {

// Hashes the file at `path`, streaming it in 1 MiB chunks (memory does not grow with the file).
// An unreadable file is an Io error naming the path and the reason.
Expected<std::string, Error> sha256_file(const std::string& path);

// Hashes bytes in memory.
std::string sha256_hex(std::string_view data);

}  // namespace wxbatch
