#include "wxbatch/csv/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace wxbatch::csv {

Expected<ByteSource, Error> ByteSource::open(const std::string& path, std::size_t buffer_bytes) {
    // O_NONBLOCK: opening a FIFO without a writer must not hang (it has no effect on files).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return unexpected(Error{ErrorKind::Io, path + ": cannot open: " + std::strerror(errno)});
    }
    struct stat info {};
    const bool known = ::fstat(fd, &info) == 0;
    if (known && S_ISDIR(info.st_mode)) {
        ::close(fd);
        return unexpected(Error{ErrorKind::Io, path + ": is a directory"});
    }
    if (known && !S_ISREG(info.st_mode)) {
        ::close(fd);
        return unexpected(
            Error{ErrorKind::Io, path + ": not a regular file (a pipe or a device?); the input is "
                                        "read more than once (checksum, resume): save it to a "
                                        "file first"});
    }
    return ByteSource(fd, path, buffer_bytes == 0 ? 1 : buffer_bytes);
}

ByteSource::ByteSource(int fd, std::string path, std::size_t buffer_bytes)
    : m_fd(fd), m_path(std::move(path)), m_buffer(buffer_bytes) {}

ByteSource::ByteSource(ByteSource&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_path(std::move(other.m_path)),
      m_buffer(std::move(other.m_buffer)),
      m_pos(other.m_pos),
      m_len(other.m_len),
      m_offset(other.m_offset) {}

ByteSource& ByteSource::operator=(ByteSource&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
        m_buffer = std::move(other.m_buffer);
        m_pos = other.m_pos;
        m_len = other.m_len;
        m_offset = other.m_offset;
    }
    return *this;
}

ByteSource::~ByteSource() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

Expected<int, Error> ByteSource::peek() {
    if (m_pos == m_len) {
        if (auto filled = refill(); !filled) {
            return unexpected(filled.error());
        }
        if (m_len == 0) {
            return k_end;
        }
    }
    return static_cast<int>(static_cast<unsigned char>(m_buffer[m_pos]));
}

Expected<void, Error> ByteSource::refill() {
    m_pos = 0;
    m_len = 0;
    for (;;) {
        const ssize_t got = ::read(m_fd, m_buffer.data(), m_buffer.size());
        if (got >= 0) {
            m_len = static_cast<std::size_t>(got);
            return {};
        }
        if (errno != EINTR) {
            return unexpected(
                Error{ErrorKind::Io, m_path + ": read error: " + std::strerror(errno)});
        }
    }
}

Expected<void, Error> ByteSource::seek(std::uint64_t offset) {
    if (::lseek(m_fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
        return unexpected(Error{ErrorKind::Io, m_path + ": seek error: " + std::strerror(errno)});
    }
    m_pos = 0;
    m_len = 0;
    m_offset = offset;
    return {};
}

}  // namespace wxbatch::csv
