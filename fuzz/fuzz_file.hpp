#pragma once
// A scratch file per fuzz process for the targets whose interface is a path (the CSV reader, the
// config file, row_errors.csv): in $TMPDIR (or /tmp), named after the target and the process,
// removed at exit.

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace wxfuzz {

class ScratchFile {
  public:
    explicit ScratchFile(const char* tag, const char* extension) {
        const char* dir = std::getenv("TMPDIR");
        m_path = std::string(dir != nullptr ? dir : "/tmp") + "/wxbatch-fuzz-" + tag + "-" +
                 std::to_string(::getpid()) + extension;
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    ~ScratchFile() { ::unlink(m_path.c_str()); }

    const std::string& path() const { return m_path; }

    // Replaces the file's content; false on any I/O error.
    bool write(const void* data, std::size_t size) const {
        const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            return false;
        }
        const auto* bytes = static_cast<const std::uint8_t*>(data);
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::write(fd, bytes + done, size - done);
            if (n <= 0) {
                ::close(fd);
                return false;
            }
            done += static_cast<std::size_t>(n);
        }
        return ::close(fd) == 0;
    }

  private:
    std::string m_path;
};

}  // namespace wxfuzz
