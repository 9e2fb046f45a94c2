#include <iostream>

#include "wxbatch/cli/commands.hpp"
#include "wxbatch/resilience/policy_report.hpp"

namespace wxbatch::cli {

int policy_command(const SettingFlags& flags, bool json) {
    const engine::RunOptions options = resolve_options(flags);
    if (json) {
        std::cout << resilience::policy_json(options.resilience).dump(2) << "\n";
    } else {
        std::cout << resilience::render_policy_text(options.resilience);
    }
    return 0;
}

}  // namespace wxbatch::cli
