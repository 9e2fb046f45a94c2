#pragma once
// A fresh directory under the system's temp directory, removed with everything in it when the
// object goes away. For tests that need real files.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace wxbatch::test {

class TempDir {
  public:
    explicit TempDir(const std::string& prefix) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a temporary directory " + pattern);
        }
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return m_path; }
    // Writes `content` to the file `name` in the directory; returns its path.
    std::string write(const std::string& name, const std::string& content) const {
        const std::string file = (std::filesystem::path(m_path) / name).string();
        std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
        return file;
    }

  private:
    std::string m_path;
};

}  // namespace wxbatch::test
