#pragma once
// Whole-file writes that survive a crash or power loss, and the matching read.

#include <optional>
#include <string>
#include <string_view>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"
#include "wxbatch/util/file_system.hpp"

namespace wxbatch {

// Replaces the file at `path` with `content` atomically and durably: writes a temp file in the
// same directory (every write and the close checked), fsyncs it, renames it over `path`, then
// fsyncs the directory. Readers see either the old file or the new one, never a mix.
// On a failure before the rename, the temp file is removed and the old file is untouched; the
// error (kind Io) names the path and the system's reason, e.g. "No space left on device".
// If only the final directory fsync fails, the new content is in place but its durability
// across a power loss is not guaranteed, and the error says so.
Expected<void, Error> write_file_atomically(const std::string& path, std::string_view content,
                                            FileSystem& fs = real_fs());

// Removes the temp files that an interrupted write_file_atomically(`path`) left behind (named
// `path`.tmp.*, e.g. after kill -9 in the middle of a write) and returns how many. Call it only
// when no other writer of `path` can be running (under the out directory's lock).
std::size_t remove_stale_temp_files(const std::string& path);

// Reads a whole file. nullopt when it does not exist; any other failure is an Io error naming
// the path and the reason.
Expected<std::optional<std::string>, Error> read_file_if_exists(const std::string& path);

}  // namespace wxbatch
