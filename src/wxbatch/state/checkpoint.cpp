#include "wxbatch/state/checkpoint.hpp"

#include <cstdio>
#include <random>

#include "wxbatch/state/json_fields.hpp"
#include "wxbatch/util/durable_file.hpp"
#include "wxbatch/util/iso_time.hpp"

namespace wxbatch::state {
namespace {

std::string checkpoint_path(const std::string& dir) {
    return dir + "/" + k_checkpoint_file;
}

nlohmann::json counters_json(const Counters& c) {
    return {{"read", c.read},
            {"processed", c.processed},
            {"success", c.success},
            {"already_done", c.already_done},
            {"row_errors", c.row_errors},
            {"systemic_errors", c.systemic_errors},
            {"retries", c.retries}};
}

void read_counters(JsonFields f, Counters& c) {
    f.get("read", c.read);
    f.get("processed", c.processed);
    f.get("success", c.success);
    f.get("already_done", c.already_done);
    f.get("row_errors", c.row_errors);
    f.get("systemic_errors", c.systemic_errors);
    f.get("retries", c.retries);
}

void read_input(JsonFields f, InputInfo& in) {
    f.get("path", in.path);
    f.get("size", in.size);
    f.get("sha256", in.sha256);
    f.get("header", in.header);
}

void read_body(JsonFields& f, Checkpoint& c) {
    f.get("run_id", c.run_id);
    read_input(f.child("input"), c.input);
    f.get("action", c.action);
    f.get("batch_size", c.batch_size);
    f.get("last_confirmed_batch", c.last_confirmed_batch);
    f.get("next_row", c.next_row);
    f.get("next_offset", c.next_offset);
    f.get("next_line", c.next_line);
    read_counters(f.child("counters"), c.counters);
    f.get("state", c.state);
    f.get("reason", c.reason);
    f.get("started_at", c.started_at);
    f.get("updated_at", c.updated_at);
    f.get("resumes", c.resumes);
    f.get_object("settings", c.settings);
}

}  // namespace

nlohmann::json to_json(const Checkpoint& c) {
    return {{"schema_version", c.schema_version},
            {"run_id", c.run_id},
            {"input",
             {{"path", c.input.path},
              {"size", c.input.size},
              {"sha256", c.input.sha256},
              {"header", c.input.header}}},
            {"action", c.action},
            {"batch_size", c.batch_size},
            {"last_confirmed_batch", c.last_confirmed_batch},
            {"next_row", c.next_row},
            {"next_offset", c.next_offset},
            {"next_line", c.next_line},
            {"counters", counters_json(c.counters)},
            {"state", c.state},
            {"reason", c.reason},
            {"started_at", c.started_at},
            {"updated_at", c.updated_at},
            {"resumes", c.resumes},
            {"settings", c.settings.is_object() ? c.settings : nlohmann::json::object()}};
}

Expected<Checkpoint, Error> checkpoint_from_json(const nlohmann::json& doc) {
    Checkpoint c;
    JsonFields f(doc, "");
    f.get("schema_version", c.schema_version);
    if (f.ok() && c.schema_version != k_checkpoint_schema_version) {
        return unexpected(Error{ErrorKind::Permanent,
                                "unsupported schema_version " + std::to_string(c.schema_version) +
                                    " (this wxbatch reads version " +
                                    std::to_string(k_checkpoint_schema_version) + ")"});
    }
    read_body(f, c);
    if (!f.ok()) {
        return unexpected(Error{ErrorKind::Corrupt, f.problem()});
    }
    return c;
}

Expected<void, Error> save_checkpoint(const std::string& dir, const Checkpoint& checkpoint,
                                      FileSystem& fs) {
    return write_file_atomically(checkpoint_path(dir), to_json(checkpoint).dump(2) + "\n", fs);
}

Expected<std::optional<Checkpoint>, Error> load_checkpoint(const std::string& dir) {
    const std::string path = checkpoint_path(dir);
    auto text = read_file_if_exists(path);
    if (!text) {
        return unexpected(std::move(text).error());
    }
    if (!text->has_value()) {
        return std::optional<Checkpoint>{};
    }
    auto checkpoint = parse_checkpoint(**text, path);
    if (!checkpoint) {
        return unexpected(std::move(checkpoint).error());
    }
    return std::optional<Checkpoint>{std::move(checkpoint).value()};
}

Expected<Checkpoint, Error> parse_checkpoint(const std::string& text, const std::string& name) {
    if (text.empty()) {
        return unexpected(Error{ErrorKind::Corrupt, name + " is corrupt: the file is empty"});
    }
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        return unexpected(
            Error{ErrorKind::Corrupt, name + " is corrupt: not valid JSON (truncated or damaged, " +
                                          std::to_string(text.size()) + " bytes)"});
    }
    auto checkpoint = checkpoint_from_json(doc);
    if (!checkpoint) {
        Error e = std::move(checkpoint).error();
        e.message = name + (e.kind == ErrorKind::Corrupt ? " is corrupt: " : ": ") + e.message;
        return unexpected(std::move(e));
    }
    return checkpoint;
}

std::string make_run_id(WallTime now, std::uint32_t random) {
    std::string stamp = iso8601_utc(now);  // 2026-11-24T20:34:59Z
    std::string compact;
    for (const char ch : stamp) {
        if (ch != '-' && ch != ':') {
            compact += ch;
        }
    }
    char hex[9];
    std::snprintf(hex, sizeof hex, "%06x", random & 0xffffffU);
    return compact + "-" + hex;
}

std::string new_run_id() {
    std::random_device device;
    return make_run_id(std::chrono::system_clock::now(), static_cast<std::uint32_t>(device()));
}

}  // namespace wxbatch::state
