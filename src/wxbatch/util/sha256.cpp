#include "wxbatch/util/sha256.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <vector>

#include "wxbatch/util/file_system.hpp"

namespace wxbatch {
namespace {

constexpr std::size_t k_chunk_size = 1024 * 1024;

struct DigestDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestDeleter>;

std::string to_hex(const unsigned char* bytes, unsigned size) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(size * 2);
    for (unsigned i = 0; i < size; ++i) {
        hex += k_digits[bytes[i] >> 4];
        hex += k_digits[bytes[i] & 0x0f];
    }
    return hex;
}

DigestContext new_sha256() {
    DigestContext ctx(EVP_MD_CTX_new());
    if (ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        ctx.reset();
    }
    return ctx;
}

std::string finish(EVP_MD_CTX* ctx) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned size = 0;
    EVP_DigestFinal_ex(ctx, digest.data(), &size);
    return to_hex(digest.data(), size);
}

Error hash_error(const std::string& path, const std::string& reason) {
    return Error{ErrorKind::Io, "cannot hash " + path + ": " + reason};
}

}  // namespace

Expected<std::string, Error> sha256_file(const std::string& path) {
    const DigestContext ctx = new_sha256();
    if (!ctx) {
        return unexpected(hash_error(path, "OpenSSL SHA-256 is unavailable"));
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return unexpected(hash_error(path, errno_text(errno)));
    }
    std::vector<char> chunk(k_chunk_size);
    for (;;) {
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            return unexpected(hash_error(path, errno_text(e)));
        }
        if (n == 0) {
            break;
        }
        EVP_DigestUpdate(ctx.get(), chunk.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return finish(ctx.get());
}

std::string sha256_hex(std::string_view data) {
    const DigestContext ctx = new_sha256();
    if (!ctx) {
        return {};
    }
    EVP_DigestUpdate(ctx.get(), data.data(), data.size());
    return finish(ctx.get());
}

}  // namespace wxbatch
