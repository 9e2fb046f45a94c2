// Fuzzes cli::apply_config_file (the TOML config; its interface is a path). Properties: any
// file is applied or refused with a UsageError that names the file, line and column; nothing
// else is thrown and nothing crashes.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "fuzz_file.hpp"
#include "wxbatch/cli/settings_cli.hpp"
#include "wxbatch/util/error.hpp"

namespace {

const wxfuzz::ScratchFile g_input("config", ".toml");

// "PATH:LINE:COLUMN: ..." with LINE and COLUMN made of digits.
bool names_file_line_column(const std::string& message, const std::string& path) {
    if (message.rfind(path + ":", 0) != 0) {
        return false;
    }
    std::size_t at = path.size() + 1;
    for (int part = 0; part < 2; ++part) {
        const std::size_t start = at;
        while (at < message.size() && std::isdigit(static_cast<unsigned char>(message[at]))) {
            ++at;
        }
        if (at == start || at >= message.size() || message[at] != ':') {
            return false;
        }
        ++at;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (!g_input.write(data, size)) {
        return 0;
    }
    wxbatch::engine::RunOptions options;
    try {
        wxbatch::cli::apply_config_file(g_input.path(), options);
    } catch (const wxbatch::UsageError& e) {
        if (!names_file_line_column(e.what(), g_input.path())) {
            std::fprintf(stderr, "message: %s\n", e.what());
        }
        WXFUZZ_CHECK(names_file_line_column(e.what(), g_input.path()));
    }
    return 0;
}
