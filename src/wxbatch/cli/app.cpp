#include "wxbatch/cli/app.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

int run_main(int argc, char** argv) {
    CLI::App app{"wxbatch: bulk operations against Cisco Webex from a CSV file"};
    app.set_version_flag("--version", std::string("wxbatch ") + WXBATCH_VERSION);
    app.require_subcommand(1);
    app.add_subcommand("demo", "run the demo job on the built-in simulator")->callback([] {
        std::cout << "demo not implemented yet\n";
    });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : k_exit_usage;
    } catch (const UsageError& e) {
        std::cerr << "wxbatch: " << e.what() << "\n";
        return k_exit_usage;
    }
    return k_exit_completed;
}

}  // namespace wxbatch::cli
