#pragma once
// checkpoint.json: where a run stands, saved atomically at every batch close (SPEC §3) so that
// --resume continues from the contiguous watermark (rows past it are in the row journal).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wxbatch/util/clock.hpp"
#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"
#include "wxbatch/util/file_system.hpp"

namespace wxbatch::state {

inline constexpr int k_checkpoint_schema_version = 1;
inline constexpr const char* k_checkpoint_file = "checkpoint.json";

// The input file a run belongs to; --resume refuses a different file (sha256) or action.
struct InputInfo {
    std::string path;
    std::uint64_t size = 0;
    std::string sha256;
    std::vector<std::string> header;
};

struct Counters {
    std::uint64_t read = 0;
    std::uint64_t processed = 0;
    std::uint64_t success = 0;
    std::uint64_t already_done = 0;
    std::uint64_t row_errors = 0;
    std::uint64_t systemic_errors = 0;
    std::uint64_t retries = 0;
};

struct Checkpoint {
    int schema_version = k_checkpoint_schema_version;
    std::string run_id;
    InputInfo input;
    std::string action;
    int batch_size = 0;
    // Every batch up to and including this index is confirmed (-1: none yet).
    std::int64_t last_confirmed_batch = -1;
    // Where the batch after the watermark starts: its first row number, byte offset, line.
    std::uint64_t next_row = 1;
    std::uint64_t next_offset = 0;
    std::uint64_t next_line = 2;
    Counters counters;
    std::string state;   // PENDING RUNNING COMPLETED COMPLETED_WITH_ROW_ERRORS FAILED_SYSTEMIC ...
    std::string reason;  // why the run failed or was aborted ("" otherwise)
    std::string started_at;  // ISO 8601 UTC
    std::string updated_at;
    int resumes = 0;
    nlohmann::json settings = nlohmann::json::object();  // effective configuration, never the token
};

nlohmann::json to_json(const Checkpoint& checkpoint);

// Parses a checkpoint document. A missing or mistyped field is a Corrupt error naming it; a
// schema_version other than k_checkpoint_schema_version is a Permanent error saying which.
Expected<Checkpoint, Error> checkpoint_from_json(const nlohmann::json& doc);

// Parses the text of a checkpoint file; `name` is the file name used in messages. Errors as
// for load_checkpoint.
Expected<Checkpoint, Error> parse_checkpoint(const std::string& text, const std::string& name);

// Writes `dir`/checkpoint.json durably (temp + fsync + rename + fsync dir). On failure the
// previous checkpoint stays as it was.
Expected<void, Error> save_checkpoint(const std::string& dir, const Checkpoint& checkpoint,
                                      FileSystem& fs = real_fs());

// Loads `dir`/checkpoint.json: nullopt when there is none. A truncated or damaged file is a
// Corrupt error naming the file and what is wrong (never a crash); an unknown schema_version is
// a Permanent error.
Expected<std::optional<Checkpoint>, Error> load_checkpoint(const std::string& dir);

// A new run id: UTC time plus random hex, e.g. "20261124T203459Z-3f9a1c". Short, and safe in
// file names and in TrackingID headers (no '_', '/', ':' or spaces).
std::string new_run_id();
// The deterministic part, for tests: the id for wall time `now` and random bits `random`.
std::string make_run_id(WallTime now, std::uint32_t random);

}  // namespace wxbatch::state
