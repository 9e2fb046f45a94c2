#include "wxbatch/engine/run_options.hpp"

namespace wxbatch::engine {

int effective_inflight_requests(const RunOptions& o) {
    return o.max_inflight_requests > 0 ? o.max_inflight_requests : o.max_inflight_batches;
}

nlohmann::json to_json(const RunOptions& o) {
    nlohmann::json j;
    j["input"] = o.input;
    j["action"] = o.action;
    j["batch_size"] = o.batch_size;
    j["max_inflight_batches"] = o.max_inflight_batches;
    j["max_inflight_requests"] = effective_inflight_requests(o);
    j["out"] = o.out_dir;
    j["base_url"] = o.base_url;
    j["resilience"] = resilience::policy_json(o.resilience);
    j["max_row_error_rate"] = o.max_row_error_rate;
    j["min_rows_for_error_rate"] = o.min_rows_for_error_rate;
    j["resend_ambiguous_messages"] = o.resend_ambiguous;
    j["delimiter"] = std::string(1, o.delimiter);
    // Where the token came from, never the token.
    j["token_source"] = o.token_command ? "command" : o.token_file ? "file" : "environment";
    return j;
}

}  // namespace wxbatch::engine
