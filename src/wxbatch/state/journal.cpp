#include "wxbatch/state/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <condition_variable>
#include <mutex>
#include <optional>

#include "wxbatch/state/journal_format.hpp"
#include "wxbatch/util/durable_file.hpp"

namespace wxbatch::state {
namespace {

std::string journal_path(const std::string& dir) {
    return dir + "/" + k_journal_file;
}

Error corrupt_at(const std::string& path, std::size_t offset, const std::string& problem) {
    return Error{ErrorKind::Corrupt,
                 path + " is corrupt at byte " + std::to_string(offset) + ": " + problem};
}

void apply(JournalState& state, const JournalRecord& record) {
    if (record.type == RecordType::Begin) {
        state.outcomes.erase(record.row);
        state.in_flight.insert(record.row);
    } else {
        state.in_flight.erase(record.row);
        state.outcomes[record.row] = record.status;
    }
}

// Checks the first record: the header of this run.
Expected<void, Error> check_header(const std::string& path, const JournalRecord& record,
                                   const std::string& run_id) {
    if (record.type != RecordType::Header) {
        return unexpected(corrupt_at(path, 0, "the first record is not a journal header"));
    }
    if (record.run_id != run_id) {
        return unexpected(Error{ErrorKind::Corrupt, path + " belongs to run '" + record.run_id +
                                                        "', not to run '" + run_id + "'"});
    }
    return {};
}

Error io_error(const std::string& what, const std::string& path, int error_code) {
    return Error{ErrorKind::Io, what + " " + path + ": " + errno_text(error_code)};
}

}  // namespace

Expected<JournalState, Error> parse_journal(std::string_view bytes, const std::string& path,
                                            const std::string& run_id) {
    JournalState state;
    std::size_t at = 0;
    for (;;) {
        const RecordRead read = read_record(bytes.substr(at));
        if (read.result == ReadResult::End) {
            break;
        }
        if (read.result == ReadResult::Corrupt) {
            return unexpected(corrupt_at(path, at, read.problem));
        }
        if (read.result == ReadResult::Torn) {
            state.truncated_tail = true;
            state.warning = path + ": dropped a torn last record (" +
                            std::to_string(bytes.size() - at) + " bytes at offset " +
                            std::to_string(at) + "), left by an interrupted write";
            break;
        }
        if (at == 0) {
            if (auto ok = check_header(path, read.record, run_id); !ok) {
                return unexpected(std::move(ok).error());
            }
        } else if (read.record.type == RecordType::Header) {
            return unexpected(corrupt_at(path, at, "a second journal header"));
        } else {
            apply(state, read.record);
        }
        at += read.size;
    }
    state.valid_bytes = at;
    return state;
}

Expected<JournalState, Error> load_journal(const std::string& dir, const std::string& run_id) {
    const std::string path = journal_path(dir);
    auto bytes = read_file_if_exists(path);
    if (!bytes) {
        return unexpected(std::move(bytes).error());
    }
    if (!bytes->has_value()) {
        return JournalState{};
    }
    return parse_journal(**bytes, path, run_id);
}

struct Journal::Impl {
    Impl(FileSystem& file_system, std::string journal, std::string run)
        : fs(file_system), path(std::move(journal)), run_id(std::move(run)) {}
    ~Impl() {
        if (fd >= 0) {
            fs.close(fd);
        }
    }

    Expected<void, Error> open_for_append();
    Expected<void, Error> append(const std::string& record);
    Expected<void, Error> rewrite(std::uint64_t below_row);
    std::string live_records(std::uint64_t below_row) const;
    // Whether `path` still names the file open for appending (a failed rewrite did not replace it).
    bool still_open_file() const;

    FileSystem& fs;
    std::string path;
    std::string run_id;
    int fd = -1;
    std::uint64_t size = 0;
    JournalState recovered;
    JournalState live;  // rows not yet compacted away
    std::optional<Error> broken;
    mutable std::mutex mutex;
    int syncs_running = 0;  // fsyncs of `fd` in progress (they run without `mutex`)
    std::condition_variable syncs_done;
};

Expected<void, Error> Journal::Impl::open_for_append() {
    if (const int e = fs.open(path, O_WRONLY | O_APPEND, 0, fd); e != 0) {
        fd = -1;
        return unexpected(io_error("cannot open", path, e));
    }
    return {};
}

Expected<void, Error> Journal::Impl::append(const std::string& record) {
    if (broken) {
        return unexpected(*broken);
    }
    if (const int e = fs.write(fd, record); e != 0) {
        Error error = io_error("cannot append to", path, e);
        if (const int t = fs.truncate(fd, size); t != 0) {
            error.message += "; cutting off the partial record failed too: " + errno_text(t) +
                             " (the journal is unusable for this run)";
            broken = error;
        }
        return unexpected(std::move(error));
    }
    size += record.size();
    return {};
}

std::string Journal::Impl::live_records(std::uint64_t below_row) const {
    std::string content = encode_header(run_id);
    for (const auto row : live.in_flight) {
        if (row >= below_row) {
            content += encode_begin(row);
        }
    }
    for (const auto& [row, status] : live.outcomes) {
        if (row >= below_row) {
            content += encode_outcome(row, status);
        }
    }
    return content;
}

Expected<void, Error> Journal::Impl::rewrite(std::uint64_t below_row) {
    if (broken) {
        return unexpected(*broken);
    }
    const std::string content = live_records(below_row);
    auto written = write_file_atomically(path, content, fs);
    if (!written && still_open_file()) {
        return written;  // the old journal is still in place and still open
    }
    // The new journal is in place (if only its directory fsync failed, the error says so).
    fs.close(fd);
    fd = -1;
    size = content.size();
    std::erase_if(live.in_flight, [&](std::uint64_t row) { return row < below_row; });
    std::erase_if(live.outcomes, [&](const auto& entry) { return entry.first < below_row; });
    if (auto opened = open_for_append(); !opened) {
        broken = opened.error();
        return opened;
    }
    return written;
}

bool Journal::Impl::still_open_file() const {
    struct stat open_file {};
    struct stat named_file {};
    return ::fstat(fd, &open_file) == 0 && ::stat(path.c_str(), &named_file) == 0 &&
           open_file.st_dev == named_file.st_dev && open_file.st_ino == named_file.st_ino;
}

Expected<Journal, Error> Journal::open(const std::string& dir, const std::string& run_id,
                                       FileSystem& fs) {
    auto state = load_journal(dir, run_id);
    if (!state) {
        return unexpected(std::move(state).error());
    }
    auto impl = std::make_unique<Impl>(fs, journal_path(dir), run_id);
    impl->recovered = *state;
    impl->live = std::move(state).value();
    if (impl->live.valid_bytes == 0) {
        const std::string header = encode_header(run_id);
        if (auto created = write_file_atomically(impl->path, header, fs); !created) {
            return unexpected(std::move(created).error());
        }
        impl->live.valid_bytes = header.size();
    }
    if (auto opened = impl->open_for_append(); !opened) {
        return unexpected(std::move(opened).error());
    }
    impl->size = impl->live.valid_bytes;
    if (impl->live.truncated_tail) {
        int e = fs.truncate(impl->fd, impl->size);
        if (e == 0) {
            e = fs.fsync(impl->fd);
        }
        if (e != 0) {
            return unexpected(io_error("cannot cut the torn tail off", impl->path, e));
        }
    }
    return Journal(std::move(impl));
}

Journal::Journal(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

Expected<void, Error> Journal::append_begin(std::uint64_t row) {
    std::lock_guard lock(m_impl->mutex);
    auto ok = m_impl->append(encode_begin(row));
    if (ok) {
        m_impl->live.outcomes.erase(row);
        m_impl->live.in_flight.insert(row);
    }
    return ok;
}

Expected<void, Error> Journal::append_outcome(std::uint64_t row, std::uint8_t status) {
    std::lock_guard lock(m_impl->mutex);
    auto ok = m_impl->append(encode_outcome(row, status));
    if (ok) {
        m_impl->live.in_flight.erase(row);
        m_impl->live.outcomes[row] = status;
    }
    return ok;
}

Expected<void, Error> Journal::sync() {
    // The fsync runs without the lock: appends from other threads go on meanwhile (they are
    // covered by a later sync). A rewrite waits until no sync uses the descriptor.
    int fd = -1;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->broken) {
            return unexpected(*m_impl->broken);
        }
        fd = m_impl->fd;
        ++m_impl->syncs_running;
    }
    const int e = m_impl->fs.fsync(fd);
    std::lock_guard lock(m_impl->mutex);
    if (--m_impl->syncs_running == 0) {
        m_impl->syncs_done.notify_all();
    }
    if (e != 0 && !m_impl->broken) {
        // After a failed fsync the kernel may have dropped the dirty pages: nothing appended
        // since the last good sync can be trusted to be on disk, so the journal stops here.
        m_impl->broken = io_error("cannot fsync", m_impl->path, e);
    }
    if (e != 0) {
        return unexpected(*m_impl->broken);
    }
    return {};
}

Expected<void, Error> Journal::compact(std::uint64_t below_row) {
    std::unique_lock lock(m_impl->mutex);
    m_impl->syncs_done.wait(lock, [this] { return m_impl->syncs_running == 0; });
    return m_impl->rewrite(below_row);
}

Expected<void, Error> Journal::reset() {
    return compact(UINT64_MAX);
}

const JournalState& Journal::recovered() const {
    return m_impl->recovered;
}

std::size_t Journal::live_rows() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->live.in_flight.size() + m_impl->live.outcomes.size();
}

std::uint64_t Journal::size_bytes() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->size;
}

}  // namespace wxbatch::state
