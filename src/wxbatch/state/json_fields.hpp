#pragma once
// Strict reading of our own JSON documents (checkpoint.json): each field is checked for
// presence and type, and the first problem is reported by its dotted path.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wxbatch::state {

class JsonFields {
  public:
    // Reads fields of `object`, which is at `path` in the document ("" at the root).
    JsonFields(const nlohmann::json& object, std::string path);

    // Each reads the field `name` into `out`; on a missing or mistyped field, records the first
    // problem and leaves `out` as it was.
    void get(const char* name, std::string& out);
    void get(const char* name, std::uint64_t& out);
    void get(const char* name, std::int64_t& out);
    void get(const char* name, int& out);
    void get(const char* name, std::vector<std::string>& out);
    void get_object(const char* name, nlohmann::json& out);
    // The sub-object `name` (an empty object, with a recorded problem, when absent).
    JsonFields child(const char* name);

    // The first problem, e.g. "field 'input.size' must be a non-negative integer"; "" when none.
    const std::string& problem() const;
    bool ok() const { return problem().empty(); }

  private:
    const nlohmann::json* find(const char* name, const char* expected);
    void fail(const std::string& message);

    const nlohmann::json& m_object;
    std::string m_path;
    std::shared_ptr<std::string> m_problem;  // shared with child readers
};

}  // namespace wxbatch::state
