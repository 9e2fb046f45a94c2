#pragma once
// The on-disk record format of the row journal (journal.wxj), shared by the writer and the
// loader. Each record is self-delimiting:
//   u32 payload length (little-endian) | u32 CRC-32 of the payload | payload
// and the payload starts with a one-byte type:
//   Header  (1): "WXJ1" then the run id (the rest of the payload); always the first record
//   Begin   (2): u64 row  (a mutation for this row is about to be sent)
//   Outcome (3): u64 row, u8 status  (the row's outcome is confirmed)

#include <cstdint>
#include <string>
#include <string_view>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"

namespace wxbatch::state {

inline constexpr const char* k_journal_file = "journal.wxj";
inline constexpr std::size_t k_record_frame = 8;           // length + CRC
inline constexpr std::size_t k_max_record_payload = 1024;  // a longer length is damage

enum class RecordType : std::uint8_t { Header = 1, Begin = 2, Outcome = 3 };

std::string encode_header(std::string_view run_id);
std::string encode_begin(std::uint64_t row);
std::string encode_outcome(std::uint64_t row, std::uint8_t status);

struct JournalRecord {
    RecordType type = RecordType::Begin;
    std::uint64_t row = 0;
    std::uint8_t status = 0;
    std::string run_id;  // Header only
};

// What reading one record at the start of `bytes` found.
enum class ReadResult {
    Ok,       // a whole, valid record: `record` and `size` are set
    End,      // no bytes left
    Torn,     // the bytes end inside a record, or the final record fails its CRC, or the
              // rest is zero fill: what a crash in the middle of an append leaves
    Corrupt,  // damage that a torn append cannot explain (`problem` says what)
};

struct RecordRead {
    ReadResult result = ReadResult::End;
    JournalRecord record;
    std::size_t size = 0;
    std::string problem;
};

// Reads the record at the start of `bytes` (the rest of the file from there).
RecordRead read_record(std::string_view bytes);

}  // namespace wxbatch::state
