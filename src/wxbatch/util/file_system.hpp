#pragma once
// The file-system seam for files that must survive a crash: the handful of POSIX calls that
// durable writes and append-only logs make, behind an interface so tests can inject faults
// (ENOSPC on the Nth write, EIO on fsync, ...). Every call returns 0 on success or an errno
// value; nothing here throws.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace wxbatch {

class FileSystem {
  public:
    virtual ~FileSystem() = default;
    // open(2): on success stores the descriptor in `fd`.
    virtual int open(const std::string& path, int flags, int mode, int& fd) = 0;
    // Writes all of `data` (retrying partial writes and EINTR) or fails with the errno.
    virtual int write(int fd, std::string_view data) = 0;
    // fdatasync(2) of the file's data (and the metadata needed to read it back).
    virtual int fsync(int fd) = 0;
    virtual int close(int fd) = 0;
    virtual int truncate(int fd, std::uint64_t size) = 0;
    virtual int rename(const std::string& from, const std::string& to) = 0;
    virtual int unlink(const std::string& path) = 0;
    // Makes a directory's entries (a rename, a new file) durable: open O_DIRECTORY + fsync.
    virtual int fsync_dir(const std::string& dir) = 0;
};

// The process-wide real file system (thread-safe, stateless).
FileSystem& real_fs();

// The text of an errno value, e.g. "No space left on device" for ENOSPC (thread-safe).
std::string errno_text(int error_code);

// The directory part of a path ("." when it has none), for fsync_dir.
std::string parent_dir(const std::string& path);

// Which call a fault applies to.
enum class FsOp { Open, Write, Fsync, Close, Truncate, Rename, Unlink, FsyncDir };

// A FileSystem that forwards to the real one but fails chosen calls, for tests. Faults are
// counted per operation from the moment they are armed: fail(FsOp::Write, 3, ENOSPC) makes the
// third write from now fail (and only that one); fail_from(...) makes it and every later one
// fail. A failing write may first write part of its data (set_partial_writes), as a full disk
// does. Thread-safe.
class FaultInjectingFileSystem final : public FileSystem {
  public:
    explicit FaultInjectingFileSystem(FileSystem& inner = real_fs()) : m_inner(inner) {}

    void fail(FsOp op, int nth, int error_code);
    void fail_from(FsOp op, int nth, int error_code);
    void clear();
    // When on, a failing write first writes the first half of its data.
    void set_partial_writes(bool on);
    // Calls of `op` made so far (failed ones included).
    int calls(FsOp op) const;

    int open(const std::string& path, int flags, int mode, int& fd) override;
    int write(int fd, std::string_view data) override;
    int fsync(int fd) override;
    int close(int fd) override;
    int truncate(int fd, std::uint64_t size) override;
    int rename(const std::string& from, const std::string& to) override;
    int unlink(const std::string& path) override;
    int fsync_dir(const std::string& dir) override;

  private:
    struct Fault {
        int at = 0;  // absolute call number that fails
        bool sticky = false;
        int error_code = 0;
    };
    // Counts the call and returns the errno to fail it with, or 0.
    int next(FsOp op);

    FileSystem& m_inner;
    mutable std::mutex m_mutex;
    std::map<FsOp, int> m_calls;
    std::map<FsOp, Fault> m_faults;
    bool m_partial_writes = false;
};

}  // namespace wxbatch
