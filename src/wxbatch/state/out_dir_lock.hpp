#pragma once
// An exclusive lock on an --out directory, so that two wxbatch processes never write the same
// checkpoint, journal and reports. It is an flock(2) on `dir`/.wxbatch.lock: the kernel drops it
// when the process ends in any way (kill -9 included), so a crash never leaves a stale lock.

#include <string>

#include "wxbatch/util/error.hpp"
#include "wxbatch/util/expected.hpp"

namespace wxbatch::state {

inline constexpr const char* k_lock_file = ".wxbatch.lock";

class OutDirLock {
  public:
    // Takes the lock without waiting. When another process holds it: a Permanent error naming
    // the directory and that process's pid. Other failures: Io errors.
    static Expected<OutDirLock, Error> acquire(const std::string& dir);
    // True when another process holds the lock on `dir` now (for `wxbatch status`).
    static bool held_by_other(const std::string& dir);

    OutDirLock(OutDirLock&& other) noexcept;
    OutDirLock& operator=(OutDirLock&& other) noexcept;
    OutDirLock(const OutDirLock&) = delete;
    OutDirLock& operator=(const OutDirLock&) = delete;
    // Releases the lock.
    ~OutDirLock();

  private:
    explicit OutDirLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

}  // namespace wxbatch::state
