#pragma once
// A read-only file consumed byte by byte through a fixed buffer: constant memory whatever the
// file's size, with the absolute offset of the next byte and O(1) repositioning.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"

namespace wxbatch::csv {

class ByteSource {
  public:
    static constexpr int k_end = -1;

    // Opens `path` for reading with a buffer of `buffer_bytes`. Only a regular file is accepted
    // (a pipe cannot be re-read or repositioned); a directory, FIFO or device is an Io error.
    static Expected<ByteSource, Error> open(const std::string& path, std::size_t buffer_bytes);

    ByteSource(ByteSource&& other) noexcept;
    ByteSource& operator=(ByteSource&& other) noexcept;
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;
    ~ByteSource();

    // The next byte (0..255) without consuming it, k_end at end of file, or a read error.
    Expected<int, Error> peek();
    // Consumes the byte that peek() returned.
    void advance() {
        ++m_pos;
        ++m_offset;
    }
    // Offset in the file of the byte peek() returns.
    std::uint64_t offset() const { return m_offset; }
    // Moves so that the next byte read is the one at `offset`.
    Expected<void, Error> seek(std::uint64_t offset);

  private:
    ByteSource(int fd, std::string path, std::size_t buffer_bytes);
    Expected<void, Error> refill();

    int m_fd = -1;
    std::string m_path;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_len = 0;
    std::uint64_t m_offset = 0;
};

}  // namespace wxbatch::csv
