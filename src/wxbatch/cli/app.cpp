#include "wxbatch/cli/app.hpp"

#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "wxbatch/cli/commands.hpp"
#include "wxbatch/util/error.hpp"

namespace wxbatch::cli {

namespace {

void add_run_only_flags(CLI::App& run, SettingFlags& f) {
    run.add_option("--batch-size", f.batch_size, "rows per batch, 1..10000 (default 200)");
    run.add_option("--max-inflight-batches", f.max_inflight_batches,
                   "batches processed concurrently (default 1)");
    run.add_option("--max-inflight-requests", f.max_inflight_requests,
                   "row requests in flight at once (default: --max-inflight-batches); above it, "
                   "rows of a batch run side by side and adapt to the learned rate limit");
    run.add_flag("--resume", f.resume, "continue the run whose checkpoint is in --out");
    run.add_option("--base-url", f.base_url,
                   "API base URL (default https://webexapis.com/v1; env WEBEX_BASE_URL)");
    run.add_option("--token-file", f.token_file, "file holding the token (mode 0600)");
    run.add_option("--token-command", f.token_command,
                   "command whose standard output is the token (e.g. a vault CLI)");
    run.add_option("--max-row-error-rate", f.max_row_error_rate,
                   "abort (ABORTED_BY_POLICY) above this share of failed rows (0..1)");
    run.add_option("--min-rows-for-error-rate", f.min_rows_for_error_rate,
                   "rows processed before --max-row-error-rate applies (default 100)");
    run.add_flag("--resend-ambiguous-messages", f.resend_ambiguous,
                 "messages.create: resend after an outcome that is unknown (may duplicate)");
}

}  // namespace

int run_main(int argc, char** argv) {
    // libcurl runs with CURLOPT_NOSIGNAL: a peer closing a socket must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"wxbatch: bulk operations against Cisco Webex from a CSV file"};
    app.set_version_flag("--version", std::string("wxbatch ") + WXBATCH_VERSION);
    app.require_subcommand(1);
    // A flag given twice takes its last value, as operators expect when they append overrides.
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    SettingFlags flags;
    auto* run = app.add_subcommand("run", "run a job: every row of --input through --action");
    add_job_flags(*run, flags);
    add_run_only_flags(*run, flags);
    add_resilience_flags(*run, flags);
    add_operator_flags(*run, flags);

    auto* validate = app.add_subcommand("validate", "parse and map every row; no network");
    add_job_flags(*validate, flags);

    std::optional<std::string> action_name;
    bool csv_template = false;
    auto* actions = app.add_subcommand("actions", "list the actions, or one action's columns");
    actions->add_option("name", action_name, "an action, e.g. people.create");
    actions->add_flag("--template", csv_template, "print a ready CSV header and an example row");

    std::string status_out = "./wxbatch-out";
    auto* status = app.add_subcommand("status", "where the run in --out stands");
    status->add_option("--out", status_out, "the run's output directory");

    bool policy_json = false;
    auto* policy = app.add_subcommand("policy", "effective retry, rate and breaker settings");
    policy->add_option("--config", flags.config, "TOML config file");
    add_resilience_flags(*policy, flags);
    policy->add_flag("--json", policy_json, "machine-readable output");

    std::uint64_t demo_rows = 21000;
    std::string demo_out = "./wxbatch-demo";
    auto* demo = app.add_subcommand("demo", "run a job end to end on the built-in simulator");
    demo->add_option("--rows", demo_rows, "rows in the generated CSV (default 21000)");
    demo->add_option("--out", demo_out, "output directory (default ./wxbatch-demo)");
    add_operator_flags(*demo, flags);

    try {
        app.parse(argc, argv);
        if (run->parsed()) {
            return run_command(flags);
        }
        if (validate->parsed()) {
            return validate_command(flags);
        }
        if (actions->parsed()) {
            return actions_command(action_name, csv_template);
        }
        if (status->parsed()) {
            return status_command(status_out);
        }
        if (policy->parsed()) {
            return policy_command(flags, policy_json);
        }
        if (demo->parsed()) {
            return demo_command(demo_rows, demo_out, flags);
        }
    } catch (const CLI::ExtrasError&) {
        // CLI11's own message repeats the unexpected words, which may be a secret someone tried
        // to pass as a flag value (`--token SECRET`): name none of them.
        std::cerr << "wxbatch: error: unexpected arguments on the command line (not shown: they "
                     "may hold a secret; the token comes from WEBEX_ACCESS_TOKEN, --token-file "
                     "or --token-command)\nRun with --help for more information.\n";
        return k_exit_usage;
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? k_exit_completed : k_exit_usage;
    } catch (const UsageError& e) {
        std::cerr << "wxbatch: error: " << e.what() << "\n";
        return k_exit_usage;
    }
    return k_exit_usage;
}

}  // namespace wxbatch::cli
