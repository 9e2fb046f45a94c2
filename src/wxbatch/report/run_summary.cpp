#include "wxbatch/report/run_summary.hpp"

#include <cmath>

#include "wxbatch/util/durable_file.hpp"

namespace wxbatch::report {
namespace {

// Rounds to 3 decimals so that the document reads well (milliseconds, seconds).
double rounded(double v) {
    return std::round(v * 1000.0) / 1000.0;
}

nlohmann::json totals_json(const RunSummary::Totals& t) {
    return {{"read", t.read},
            {"processed", t.processed},
            {"success", t.success},
            {"already_done", t.already_done},
            {"row_errors", t.row_errors},
            {"systemic_errors", t.systemic_errors}};
}

nlohmann::json latency_json(const RunSummary& s) {
    nlohmann::json by_endpoint = nlohmann::json::object();
    for (const auto& [endpoint, e] : s.endpoints) {
        by_endpoint[endpoint] = to_json(e.latency);
    }
    nlohmann::json latency = to_json(s.latency);
    latency["by_endpoint"] = by_endpoint;
    return latency;
}

// The action's profile: its requests and retries in all, then per endpoint.
nlohmann::json performance_json(const RunSummary& s) {
    std::uint64_t requests = 0;
    std::uint64_t retries = 0;
    nlohmann::json by_endpoint = nlohmann::json::object();
    for (const auto& [endpoint, e] : s.endpoints) {
        requests += e.requests;
        retries += e.retries;
        by_endpoint[endpoint] = {{"requests", e.requests},
                                 {"retries", e.retries},
                                 {"answers", e.answers},
                                 {"latency_ms", to_json(e.latency)}};
    }
    return {{"action", s.action},
            {"requests", requests},
            {"retries", retries},
            {"latency_ms", to_json(s.latency)},
            {"by_endpoint", by_endpoint}};
}

}  // namespace

nlohmann::json to_json(const LatencyPercentiles& p) {
    return {{"count", p.count},
            {"p50_ms", rounded(p.p50_ms)},
            {"p90_ms", rounded(p.p90_ms)},
            {"p99_ms", rounded(p.p99_ms)},
            {"max_ms", rounded(p.max_ms)}};
}

nlohmann::json to_json(const RunSummary& s) {
    return {
        {"schema_version", s.schema_version},
        {"run_id", s.run_id},
        {"action", s.action},
        {"input",
         {{"path", s.input.path},
          {"size", s.input.size},
          {"sha256", s.input.sha256},
          {"header", s.input.header}}},
        {"state", s.state},
        {"reason", s.reason},
        {"started_at", s.started_at},
        {"finished_at", s.finished_at},
        {"duration_s", rounded(s.duration_s)},
        {"totals", totals_json(s.totals)},
        {"retries", {{"total", s.retries.total}, {"by_cause", s.retries.by_cause}}},
        {"rate_limit_waits",
         {{"count", s.rate_limit_waits.count}, {"seconds", rounded(s.rate_limit_waits.seconds)}}},
        {"breaker",
         {{"opens", s.breaker.opens},
          {"half_opens", s.breaker.half_opens},
          {"closes", s.breaker.closes},
          {"seconds_open", rounded(s.breaker.seconds_open)}}},
        {"rate_pacing", s.rate_pacing.is_object() ? s.rate_pacing : nlohmann::json::object()},
        {"resumes", s.resumes},
        {"throughput_rows_per_s", rounded(s.throughput_rows_per_s)},
        {"latency_ms", latency_json(s)},
        {"performance", performance_json(s)},
        {"configuration", s.configuration.is_object() ? s.configuration : nlohmann::json::object()},
    };
}

Expected<void, Error> write_run_summary(const std::string& dir, const RunSummary& summary,
                                        FileSystem& fs) {
    return write_file_atomically(dir + "/" + k_run_summary_file, to_json(summary).dump(2) + "\n",
                                 fs);
}

Expected<std::optional<nlohmann::json>, Error> load_run_summary(const std::string& dir) {
    const std::string path = dir + "/" + k_run_summary_file;
    auto text = read_file_if_exists(path);
    if (!text) {
        return unexpected(std::move(text).error());
    }
    if (!text->has_value()) {
        return std::optional<nlohmann::json>{};
    }
    auto doc = nlohmann::json::parse(**text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return unexpected(Error{ErrorKind::Corrupt,
                                path + " is corrupt: not a JSON object (truncated or damaged)"});
    }
    return std::optional<nlohmann::json>{std::move(doc)};
}

}  // namespace wxbatch::report
