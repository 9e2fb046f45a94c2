#include "wxbatch/util/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>

namespace wxbatch {
namespace {

Error io_error(const std::string& what, const std::string& path, int error_code) {
    return Error{ErrorKind::Io, what + " " + path + ": " + errno_text(error_code)};
}

// A temp name in the same directory, unique within and across processes.
std::string temp_name_for(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter);
}

// Writes, fsyncs and closes `temp`; on failure the descriptor is closed and the error returned.
Expected<void, Error> fill_temp(FileSystem& fs, const std::string& path, const std::string& temp,
                                std::string_view content) {
    int fd = -1;
    // Owner-only: these files (row_errors.csv above all) can hold an organisation's personal data.
    if (const int e = fs.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0600, fd); e != 0) {
        return unexpected(io_error("cannot create temp file for", path, e));
    }
    int e = fs.write(fd, content);
    const char* step = "cannot write";
    if (e == 0) {
        e = fs.fsync(fd);
        step = "cannot fsync";
    }
    if (e != 0) {
        fs.close(fd);
        return unexpected(io_error(step, path, e));
    }
    if (const int c = fs.close(fd); c != 0) {
        return unexpected(io_error("cannot close", path, c));
    }
    return {};
}

}  // namespace

Expected<void, Error> write_file_atomically(const std::string& path, std::string_view content,
                                            FileSystem& fs) {
    const std::string temp = temp_name_for(path);
    if (auto filled = fill_temp(fs, path, temp, content); !filled) {
        fs.unlink(temp);
        return filled;
    }
    if (const int e = fs.rename(temp, path); e != 0) {
        fs.unlink(temp);
        return unexpected(io_error("cannot rename temp file over", path, e));
    }
    if (const int e = fs.fsync_dir(parent_dir(path)); e != 0) {
        return unexpected(Error{ErrorKind::Io, "wrote " + path +
                                                   " but could not fsync its directory (not "
                                                   "durable across a power loss): " +
                                                   errno_text(e)});
    }
    return {};
}

std::size_t remove_stale_temp_files(const std::string& path) {
    const std::filesystem::path target(path);
    const std::string prefix = target.filename().string() + ".tmp.";
    std::error_code ec;
    std::size_t removed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(parent_dir(path), ec)) {
        if (entry.path().filename().string().rfind(prefix, 0) == 0 &&
            std::filesystem::remove(entry.path(), ec)) {
            ++removed;
        }
    }
    return removed;
}

Expected<std::optional<std::string>, Error> read_file_if_exists(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::optional<std::string>{};
        }
        return unexpected(io_error("cannot open", path, errno));
    }
    std::string content;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            return unexpected(io_error("cannot read", path, e));
        }
        if (n == 0) {
            break;
        }
        content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return std::optional<std::string>{std::move(content)};
}

}  // namespace wxbatch
