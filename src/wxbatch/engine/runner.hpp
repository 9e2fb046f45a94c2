#pragma once
// One `wxbatch run`: the lifecycle of SPEC §3. Initialization (action, out dir, checkpoint,
// input, token) fails with UsageError before anything is sent; then batches are executed by
// `max_inflight_batches` workers, outcomes are journaled and checkpointed, and the reports are
// written. Returns the final state; the CLI maps it to the exit code.

#include <functional>
#include <iosfwd>
#include <memory>

#include "wxbatch/engine/run_options.hpp"
#include "wxbatch/engine/run_state.hpp"
#include "wxbatch/util/clock.hpp"
#include "wxbatch/util/file_system.hpp"
#include "wxbatch/webex/http.hpp"

namespace wxbatch::engine {

// What a run needs from the outside world (real in the CLI, fakes in tests).
struct RunEnvironment {
    Clock& clock;
    Sleeper& sleeper;
    Random& random;
    // Makes one transport per worker (each keeps its own connections alive).
    std::function<std::unique_ptr<webex::HttpTransport>()> make_transport;
    std::ostream& out;  // results: the end-of-run summary
    std::ostream& err;  // progress and diagnostics
    bool install_signal_handlers = true;
    bool err_is_tty = false;  // progress redrawn in place when true
    // Where the journal, checkpoint and reports are written (a fault-injecting one in tests).
    FileSystem* fs = &real_fs();
};

struct RunResult {
    RunState state = RunState::Pending;
    std::string reason;
};

RunResult run_job(const RunOptions& options, RunEnvironment& env);

}  // namespace wxbatch::engine
