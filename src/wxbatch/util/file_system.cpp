#include "wxbatch/util/file_system.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace wxbatch {
namespace {

class RealFileSystem final : public FileSystem {
  public:
    int open(const std::string& path, int flags, int mode, int& fd) override {
        do {
            fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
        } while (fd < 0 && errno == EINTR);
        return fd < 0 ? errno : 0;
    }

    int write(int fd, std::string_view data) override {
        while (!data.empty()) {
            const ssize_t n = ::write(fd, data.data(), data.size());
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return errno;
            }
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return 0;
    }

    int fsync(int fd) override { return ::fdatasync(fd) == 0 ? 0 : errno; }

    // Linux releases the descriptor even when close fails, so it is never retried.
    int close(int fd) override { return ::close(fd) == 0 ? 0 : errno; }

    int truncate(int fd, std::uint64_t size) override {
        return ::ftruncate(fd, static_cast<off_t>(size)) == 0 ? 0 : errno;
    }

    int rename(const std::string& from, const std::string& to) override {
        return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
    }

    int unlink(const std::string& path) override { return ::unlink(path.c_str()) == 0 ? 0 : errno; }

    int fsync_dir(const std::string& dir) override {
        int fd = -1;
        if (const int e = open(dir, O_RDONLY | O_DIRECTORY, 0, fd); e != 0) {
            return e;
        }
        const int e = ::fsync(fd) == 0 ? 0 : errno;
        ::close(fd);
        return e;
    }
};

}  // namespace

FileSystem& real_fs() {
    static RealFileSystem fs;
    return fs;
}

std::string errno_text(int error_code) {
    return std::error_code(error_code, std::generic_category()).message();
}

std::string parent_dir(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

void FaultInjectingFileSystem::fail(FsOp op, int nth, int error_code) {
    std::lock_guard lock(m_mutex);
    m_faults[op] = Fault{m_calls[op] + nth, false, error_code};
}

void FaultInjectingFileSystem::fail_from(FsOp op, int nth, int error_code) {
    std::lock_guard lock(m_mutex);
    m_faults[op] = Fault{m_calls[op] + nth, true, error_code};
}

void FaultInjectingFileSystem::clear() {
    std::lock_guard lock(m_mutex);
    m_faults.clear();
}

void FaultInjectingFileSystem::set_partial_writes(bool on) {
    std::lock_guard lock(m_mutex);
    m_partial_writes = on;
}

int FaultInjectingFileSystem::calls(FsOp op) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_calls.find(op);
    return it == m_calls.end() ? 0 : it->second;
}

int FaultInjectingFileSystem::next(FsOp op) {
    std::lock_guard lock(m_mutex);
    const int call = ++m_calls[op];
    const auto it = m_faults.find(op);
    if (it == m_faults.end()) {
        return 0;
    }
    const Fault& f = it->second;
    return (call == f.at || (f.sticky && call > f.at)) ? f.error_code : 0;
}

int FaultInjectingFileSystem::open(const std::string& path, int flags, int mode, int& fd) {
    if (const int e = next(FsOp::Open); e != 0) {
        return e;
    }
    return m_inner.open(path, flags, mode, fd);
}

int FaultInjectingFileSystem::write(int fd, std::string_view data) {
    if (const int e = next(FsOp::Write); e != 0) {
        bool partial = false;
        {
            std::lock_guard lock(m_mutex);
            partial = m_partial_writes;
        }
        if (partial) {
            m_inner.write(fd, data.substr(0, data.size() / 2));
        }
        return e;
    }
    return m_inner.write(fd, data);
}

int FaultInjectingFileSystem::fsync(int fd) {
    if (const int e = next(FsOp::Fsync); e != 0) {
        return e;
    }
    return m_inner.fsync(fd);
}

int FaultInjectingFileSystem::close(int fd) {
    // The descriptor is released either way, as close(2) does on Linux.
    const int e = next(FsOp::Close);
    const int real = m_inner.close(fd);
    return e != 0 ? e : real;
}

int FaultInjectingFileSystem::truncate(int fd, std::uint64_t size) {
    if (const int e = next(FsOp::Truncate); e != 0) {
        return e;
    }
    return m_inner.truncate(fd, size);
}

int FaultInjectingFileSystem::rename(const std::string& from, const std::string& to) {
    if (const int e = next(FsOp::Rename); e != 0) {
        return e;
    }
    return m_inner.rename(from, to);
}

int FaultInjectingFileSystem::unlink(const std::string& path) {
    if (const int e = next(FsOp::Unlink); e != 0) {
        return e;
    }
    return m_inner.unlink(path);
}

int FaultInjectingFileSystem::fsync_dir(const std::string& dir) {
    if (const int e = next(FsOp::FsyncDir); e != 0) {
        return e;
    }
    return m_inner.fsync_dir(dir);
}

}  // namespace wxbatch
