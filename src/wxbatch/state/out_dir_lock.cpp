#include "wxbatch/state/out_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "wxbatch/util/file_system.hpp"

namespace wxbatch::state {
namespace {

// The pid the holder wrote into the lock file ("" when unreadable).
std::string holder_pid(int fd) {
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    std::string pid = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
        pid.pop_back();
    }
    return pid;
}

}  // namespace

Expected<OutDirLock, Error> OutDirLock::acquire(const std::string& dir) {
    const std::string path = dir + "/" + k_lock_file;
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return unexpected(
            Error{ErrorKind::Io, "cannot open lock file " + path + ": " + errno_text(errno)});
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        const std::string pid = holder_pid(fd);
        ::close(fd);
        if (e == EWOULDBLOCK) {
            return unexpected(Error{ErrorKind::Permanent,
                                    "another wxbatch process" +
                                        (pid.empty() ? std::string() : " (pid " + pid + ")") +
                                        " is using " + dir});
        }
        return unexpected(Error{ErrorKind::Io, "cannot lock " + path + ": " + errno_text(e)});
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The pid is only for the message of a process that finds the lock taken.
    }
    return OutDirLock(fd);
}

OutDirLock::OutDirLock(OutDirLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

OutDirLock& OutDirLock::operator=(OutDirLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

OutDirLock::~OutDirLock() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

bool OutDirLock::held_by_other(const std::string& dir) {
    const std::string path = dir + "/" + k_lock_file;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

}  // namespace wxbatch::state
