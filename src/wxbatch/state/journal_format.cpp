#include "wxbatch/state/journal_format.hpp"

#include <algorithm>

#include "wxbatch/util/crc32.hpp"

namespace wxbatch::state {
namespace {

constexpr std::string_view k_magic = "WXJ1";

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        out += static_cast<char>((v >> (8 * i)) & 0xffU);
    }
}

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        out += static_cast<char>((v >> (8 * i)) & 0xffU);
    }
}

std::uint64_t get_le(std::string_view bytes, std::size_t at, int width) {
    std::uint64_t v = 0;
    for (int i = width - 1; i >= 0; --i) {
        v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    }
    return v;
}

std::string frame(const std::string& payload) {
    std::string out;
    out.reserve(k_record_frame + payload.size());
    put_u32(out, static_cast<std::uint32_t>(payload.size()));
    put_u32(out, crc32(payload));
    out += payload;
    return out;
}

RecordRead corrupt(std::string problem) {
    RecordRead r;
    r.result = ReadResult::Corrupt;
    r.problem = std::move(problem);
    return r;
}

// Decodes a payload whose CRC matched.
RecordRead decode(std::string_view payload) {
    RecordRead r;
    r.result = ReadResult::Ok;
    r.size = k_record_frame + payload.size();
    const auto type = static_cast<unsigned char>(payload[0]);
    if (type == static_cast<unsigned char>(RecordType::Header) && payload.size() >= 5 &&
        payload.substr(1, 4) == k_magic) {
        r.record.type = RecordType::Header;
        r.record.run_id = std::string(payload.substr(5));
    } else if (type == static_cast<unsigned char>(RecordType::Begin) && payload.size() == 9) {
        r.record.type = RecordType::Begin;
        r.record.row = get_le(payload, 1, 8);
    } else if (type == static_cast<unsigned char>(RecordType::Outcome) && payload.size() == 10) {
        r.record.type = RecordType::Outcome;
        r.record.row = get_le(payload, 1, 8);
        r.record.status = static_cast<std::uint8_t>(payload[9]);
    } else {
        return corrupt("unknown record type " + std::to_string(type) + " of " +
                       std::to_string(payload.size()) + " bytes");
    }
    return r;
}

}  // namespace

std::string encode_header(std::string_view run_id) {
    std::string payload(1, static_cast<char>(RecordType::Header));
    payload += k_magic;
    payload += run_id;
    return frame(payload);
}

std::string encode_begin(std::uint64_t row) {
    std::string payload(1, static_cast<char>(RecordType::Begin));
    put_u64(payload, row);
    return frame(payload);
}

std::string encode_outcome(std::uint64_t row, std::uint8_t status) {
    std::string payload(1, static_cast<char>(RecordType::Outcome));
    put_u64(payload, row);
    payload += static_cast<char>(status);
    return frame(payload);
}

RecordRead read_record(std::string_view bytes) {
    RecordRead torn;
    torn.result = ReadResult::Torn;
    if (bytes.empty()) {
        return RecordRead{};
    }
    if (std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; })) {
        return torn;  // zero fill past the last write
    }
    if (bytes.size() < k_record_frame) {
        return torn;
    }
    const std::uint64_t length = get_le(bytes, 0, 4);
    if (length == 0 || length > k_max_record_payload) {
        return corrupt("impossible record length " + std::to_string(length));
    }
    if (bytes.size() < k_record_frame + length) {
        return torn;
    }
    const std::string_view payload = bytes.substr(k_record_frame, length);
    if (crc32(payload) != static_cast<std::uint32_t>(get_le(bytes, 4, 4))) {
        if (bytes.size() == k_record_frame + length) {
            return torn;  // the final record: its data never fully reached the disk
        }
        return corrupt("CRC mismatch");
    }
    return decode(payload);
}

}  // namespace wxbatch::state
