#pragma once
// An exclusive advisory lock (flock) on DIR/wxbatch.lock held for the whole of a run, so two
// wxbatch processes never work on the same --out at once. The kernel drops it when the process
// dies (even by kill -9), so a crash never leaves a stale lock.

#include <string>

namespace wxbatch::engine {

class OutDirLock {
public:
    OutDirLock() = default;
    OutDirLock(const OutDirLock&) = delete;
    OutDirLock& operator=(const OutDirLock&) = delete;
    OutDirLock(OutDirLock&& other) noexcept;
    OutDirLock& operator=(OutDirLock&& other) noexcept;
    ~OutDirLock();

    // Takes the lock or throws UsageError naming the directory.
    static OutDirLock acquire(const std::string& dir);
    // True when another process holds the lock now.
    static bool held_by_other(const std::string& dir);

private:
    int m_fd = -1;
};

}  // namespace wxbatch::engine
