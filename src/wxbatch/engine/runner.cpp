#include "wxbatch/engine/runner.hpp"

#include "wxbatch/engine/job_session.hpp"

namespace wxbatch::engine {

RunResult run_job(const RunOptions& options, RunEnvironment& env) {
    JobSession session(options, env);
    session.setup();
    session.execute();
    return session.finish();
}

}  // namespace wxbatch::engine
