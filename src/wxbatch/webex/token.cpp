#include "wxbatch/webex/token.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace wxbatch::webex {

namespace {

constexpr std::size_t k_max_token_source_bytes = 64 * 1024;

std::string trim(const std::string& text) {
    const char* space = " \t\r\n\f\v";
    const std::size_t first = text.find_first_not_of(space);
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(space) - first + 1);
}

// Trims `raw` and checks that it is one printable word (a header value must not break lines).
Expected<std::string, std::string> clean(const std::string& raw, const std::string& origin) {
    std::string token = trim(raw);
    if (token.empty()) {
        return unexpected(origin + " gave an empty token");
    }
    for (const char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) {
            return unexpected(origin + " gave a token with spaces or control characters inside");
        }
    }
    return token;
}

Expected<std::string, std::string> read_fd(int fd, const std::string& origin) {
    std::string content;
    char buffer[4096];
    while (content.size() <= k_max_token_source_bytes) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) {
            return content;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return unexpected(origin + " could not be read: " + std::strerror(errno));
        }
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return unexpected(origin + " is larger than " + std::to_string(k_max_token_source_bytes) +
                      " bytes: not a token");
}

Expected<std::string, std::string> from_file(const std::string& path) {
    const std::string origin = "token file " + path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return unexpected(origin + " could not be opened: " + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return unexpected(origin + " is not a regular file");
    }
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        ::close(fd);
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", info.st_mode & 07777U);
        return unexpected(origin + " is accessible by group or others (mode " + mode +
                          "); run: chmod 600 " + path);
    }
    auto content = read_fd(fd, origin);
    ::close(fd);
    if (!content) {
        return content;
    }
    return clean(*content, origin);
}

Expected<std::string, std::string> from_command(const std::string& command) {
    const std::string origin = "token command `" + command + "`";
    std::FILE* pipe = ::popen(command.c_str(), "re");
    if (pipe == nullptr) {
        return unexpected(origin + " could not be started: " + std::strerror(errno));
    }
    auto content = read_fd(::fileno(pipe), origin);
    const int status = ::pclose(pipe);
    if (status == -1) {
        return unexpected(origin + " could not be waited for: " + std::strerror(errno));
    }
    if (WIFSIGNALED(status)) {
        return unexpected(origin + " was killed by signal " + std::to_string(WTERMSIG(status)));
    }
    if (WEXITSTATUS(status) != 0) {
        return unexpected(origin + " exited with status " + std::to_string(WEXITSTATUS(status)));
    }
    if (!content) {
        return content;
    }
    return clean(*content, origin);
}

}  // namespace

Expected<std::string, std::string> load_token(const TokenSource& source) {
    if (source.file && source.command) {
        return unexpected(std::string("give only one of --token-file and --token-command"));
    }
    if (source.file) {
        return from_file(*source.file);
    }
    if (source.command) {
        return from_command(*source.command);
    }
    const char* env = std::getenv("WEBEX_ACCESS_TOKEN");
    if (env != nullptr && *env != '\0') {
        return clean(env, "WEBEX_ACCESS_TOKEN");
    }
    return unexpected(std::string(
        "no Webex access token: set the environment variable WEBEX_ACCESS_TOKEN, or pass "
        "--token-file PATH (a file of mode 600 holding the token), or --token-command CMD "
        "(a command that prints the token)"));
}

}  // namespace wxbatch::webex
