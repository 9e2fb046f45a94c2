#include "wxbatch/engine/out_dir_lock.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "wxbatch/util/error.hpp"

namespace wxbatch::engine {

namespace {
std::string lock_path(const std::string& dir) { return dir + "/wxbatch.lock"; }
}  // namespace

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

OutDirLock OutDirLock::acquire(const std::string& dir) {
    OutDirLock lock;
    lock.m_fd = ::open(lock_path(dir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock.m_fd < 0) {
        throw UsageError("cannot create " + lock_path(dir) + ": " + std::strerror(errno));
    }
    if (::flock(lock.m_fd, LOCK_EX | LOCK_NB) != 0) {
        throw UsageError("another wxbatch is running on " + dir +
                         " (see `wxbatch status --out " + dir + "`)");
    }
    return lock;
}

bool OutDirLock::held_by_other(const std::string& dir) {
    const int fd = ::open(lock_path(dir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

}  // namespace wxbatch::engine
