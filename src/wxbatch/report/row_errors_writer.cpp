#include "wxbatch/report/row_errors_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "wxbatch/report/csv_cell.hpp"
#include "wxbatch/util/durable_file.hpp"

namespace wxbatch::report {
namespace {

const std::vector<std::string> k_trailing_columns = {"error_class", "http_status", "message",
                                                     "tracking_id", "attempts"};

// Offsets just past each LF that ends a record (LFs inside quotes do not).
std::vector<std::size_t> record_ends(std::string_view text) {
    std::vector<std::size_t> ends;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"') {
            quoted = !quoted;  // "" inside quotes toggles twice: no change
        } else if (text[i] == '\n' && !quoted) {
            ends.push_back(i + 1);
        }
    }
    return ends;
}

std::string one_line(std::string_view message) {
    std::string out;
    out.reserve(message.size());
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (message[i] == '\r' && i + 1 < message.size() && message[i + 1] == '\n') {
            continue;  // CRLF becomes one space, at the LF
        }
        out += (message[i] == '\r' || message[i] == '\n') ? ' ' : message[i];
    }
    return out;
}

void add_cell(std::string& line, std::string_view value) {
    if (!line.empty()) {
        line += ',';
    }
    line += csv_cell(value);
}

Error io_error(const std::string& what, const std::string& path, int error_code) {
    return Error{ErrorKind::Io, what + " " + path + ": " + errno_text(error_code)};
}

}  // namespace

std::string row_errors_header_line(const std::vector<std::string>& original_header) {
    std::string line;
    add_cell(line, "row_number");
    add_cell(line, "line_number");
    for (const auto& name : original_header) {
        add_cell(line, name);
    }
    for (const auto& name : k_trailing_columns) {
        add_cell(line, name);
    }
    return line + "\n";
}

std::string row_errors_line(const RowErrorRecord& record, std::size_t header_columns) {
    std::string line;
    add_cell(line, std::to_string(record.row_number));
    add_cell(line, std::to_string(record.line_number));
    for (std::size_t i = 0; i < header_columns; ++i) {
        add_cell(line, i < record.fields.size() ? std::string_view(record.fields[i]) : "");
    }
    std::string message = one_line(record.message);
    if (record.fields.size() > header_columns) {
        const std::vector<std::string> extra(
            record.fields.begin() + static_cast<std::ptrdiff_t>(header_columns),
            record.fields.end());
        message += (message.empty() ? "" : " ") + std::string("[extra fields beyond the header: ") +
                   nlohmann::json(extra).dump() + "]";
    }
    add_cell(line, record.error_class);
    add_cell(line, record.http_status == 0 ? "" : std::to_string(record.http_status));
    add_cell(line, message);
    add_cell(line, record.tracking_id);
    add_cell(line, std::to_string(record.attempts));
    return line + "\n";
}

Expected<std::uint64_t, Error> count_row_error_records(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::uint64_t{0};
        }
        return unexpected(io_error("cannot open", path, errno));
    }
    std::uint64_t records = 0;
    bool quoted = false;
    std::vector<char> chunk(1 << 16);
    for (;;) {
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const int e = n < 0 ? errno : 0;
            ::close(fd);
            if (e != 0) {
                return unexpected(io_error("cannot read", path, e));
            }
            break;
        }
        for (ssize_t i = 0; i < n; ++i) {
            const char c = chunk[static_cast<std::size_t>(i)];
            quoted = c == '"' ? !quoted : quoted;
            records += (c == '\n' && !quoted) ? 1 : 0;
        }
    }
    return records == 0 ? 0 : records - 1;  // the header is not a record
}

struct RowErrorsWriter::Impl {
    Impl(FileSystem& file_system, std::string file, std::size_t columns)
        : fs(file_system), path(std::move(file)), header_columns(columns) {}
    ~Impl() {
        if (fd >= 0) {
            fs.close(fd);
        }
    }

    FileSystem& fs;
    std::string path;
    std::size_t header_columns = 0;
    int fd = -1;
    std::uint64_t size = 0;
    std::uint64_t written = 0;
    std::optional<Error> broken;
    mutable std::mutex mutex;
};

namespace {

// For append: how much of the existing file to keep (0 = start afresh), or an error.
Expected<std::uint64_t, Error> keep_of_existing(const std::string& path,
                                                const std::string& header_line) {
    auto text = read_file_if_exists(path);
    if (!text) {
        return unexpected(std::move(text).error());
    }
    if (!text->has_value() || (*text)->empty()) {
        return std::uint64_t{0};
    }
    const auto ends = record_ends(**text);
    if (ends.empty()) {
        return std::uint64_t{0};  // not even a whole header: a crash at creation
    }
    if ((*text)->compare(0, ends.front(), header_line) != 0) {
        return unexpected(Error{ErrorKind::Permanent,
                                path + " has a different header than this run's input; move it "
                                       "away or use another --out"});
    }
    return static_cast<std::uint64_t>(ends.back());
}

}  // namespace

Expected<RowErrorsWriter, Error> RowErrorsWriter::open(
    const std::string& path, const std::vector<std::string>& original_header, bool append,
    FileSystem& fs) {
    const std::string header = row_errors_header_line(original_header);
    std::uint64_t keep = 0;
    if (append) {
        auto kept = keep_of_existing(path, header);
        if (!kept) {
            return unexpected(std::move(kept).error());
        }
        keep = *kept;
    }
    if (keep == 0) {
        if (auto created = write_file_atomically(path, header, fs); !created) {
            return unexpected(std::move(created).error());
        }
        keep = header.size();
    }
    auto impl = std::make_unique<Impl>(fs, path, original_header.size());
    if (const int e = fs.open(path, O_WRONLY | O_APPEND, 0, impl->fd); e != 0) {
        impl->fd = -1;
        return unexpected(io_error("cannot open", path, e));
    }
    if (const int e = fs.truncate(impl->fd, keep); e != 0) {
        return unexpected(io_error("cannot cut the torn last line off", path, e));
    }
    impl->size = keep;
    return RowErrorsWriter(std::move(impl));
}

RowErrorsWriter::RowErrorsWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RowErrorsWriter::RowErrorsWriter(RowErrorsWriter&&) noexcept = default;
RowErrorsWriter& RowErrorsWriter::operator=(RowErrorsWriter&&) noexcept = default;
RowErrorsWriter::~RowErrorsWriter() = default;

Expected<void, Error> RowErrorsWriter::write(const RowErrorRecord& record) {
    const std::string line = row_errors_line(record, m_impl->header_columns);
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->broken) {
        return unexpected(*m_impl->broken);
    }
    if (const int e = m_impl->fs.write(m_impl->fd, line); e != 0) {
        Error error = io_error("cannot write to", m_impl->path, e);
        if (const int t = m_impl->fs.truncate(m_impl->fd, m_impl->size); t != 0) {
            error.message += "; cutting off the partial line failed too: " + errno_text(t);
            m_impl->broken = error;
        }
        return unexpected(std::move(error));
    }
    m_impl->size += line.size();
    ++m_impl->written;
    return {};
}

Expected<void, Error> RowErrorsWriter::flush() {
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->broken) {
        return unexpected(*m_impl->broken);
    }
    return {};
}

Expected<void, Error> RowErrorsWriter::sync() {
    int fd = -1;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->broken) {
            return unexpected(*m_impl->broken);
        }
        fd = m_impl->fd;  // open for the writer's lifetime
    }
    // Without the lock: writes from other threads go on meanwhile (a later sync covers them).
    if (const int e = m_impl->fs.fsync(fd); e != 0) {
        return unexpected(io_error("cannot fsync", m_impl->path, e));
    }
    return {};
}

std::uint64_t RowErrorsWriter::records_written() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->written;
}

}  // namespace wxbatch::report
