#pragma once
// One function per command; each returns the process exit code and throws UsageError for
// usage and configuration errors (mapped to exit 2 in run_main).

#include <optional>
#include <string>

#include "wxbatch/cli/settings_cli.hpp"

namespace wxbatch::cli {

int run_command(const SettingFlags& flags);
int validate_command(const SettingFlags& flags);
int actions_command(const std::optional<std::string>& name, bool csv_template);
int status_command(const std::string& out_dir);
int policy_command(const SettingFlags& flags, bool json);
// The demo honours the operator flags (--progress, --log-format, -q, ...) of `flags`.
int demo_command(std::uint64_t rows, const std::string& out_dir, const SettingFlags& flags);

}  // namespace wxbatch::cli
