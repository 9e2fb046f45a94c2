#pragma once
// The generic error carried by Expected at I/O boundaries. Kinds keep apart what callers
// must treat differently: a timeout, a transient failure worth retrying, a permanent one.

#include <stdexcept>
#include <string>

namespace wxbatch {

enum class ErrorKind {
    Timeout,    // the operation did not finish in time; the other side may have acted
    Transient,  // likely to succeed if tried again later
    Permanent,  // will fail again the same way
    Io,         // a local file-system failure (ENOSPC, EIO, permissions)
    Parse,      // malformed input (file, line, column in the message)
    Corrupt,    // a file of ours that is damaged beyond repair
};

struct Error {
    ErrorKind kind = ErrorKind::Permanent;
    std::string message;
};

// Thrown only for usage and configuration errors; caught once in main, mapped to exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace wxbatch
