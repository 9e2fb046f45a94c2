#include "wxbatch/state/json_fields.hpp"

namespace wxbatch::state {

JsonFields::JsonFields(const nlohmann::json& object, std::string path)
    : m_object(object), m_path(std::move(path)), m_problem(std::make_shared<std::string>()) {
    if (!m_object.is_object()) {
        fail(m_path.empty() ? "the document is not a JSON object"
                            : "field '" + m_path + "' must be an object");
    }
}

const std::string& JsonFields::problem() const {
    return *m_problem;
}

void JsonFields::fail(const std::string& message) {
    if (m_problem->empty()) {
        *m_problem = message;
    }
}

const nlohmann::json* JsonFields::find(const char* name, const char* expected) {
    const std::string full = m_path.empty() ? name : m_path + "." + name;
    if (!m_object.is_object() || !m_object.contains(name)) {
        fail("missing field '" + full + "'");
        return nullptr;
    }
    const nlohmann::json& value = m_object[name];
    const std::string type = expected;
    const bool fits = (type == "a string" && value.is_string()) ||
                      (type == "a non-negative integer" && value.is_number_unsigned()) ||
                      (type == "an integer" && value.is_number_integer()) ||
                      (type == "an array of strings" && value.is_array()) ||
                      (type == "an object" && value.is_object());
    if (!fits) {
        fail("field '" + full + "' must be " + type + ", not " + value.dump());
        return nullptr;
    }
    return &value;
}

void JsonFields::get(const char* name, std::string& out) {
    if (const auto* v = find(name, "a string")) {
        out = v->get<std::string>();
    }
}

void JsonFields::get(const char* name, std::uint64_t& out) {
    if (const auto* v = find(name, "a non-negative integer")) {
        out = v->get<std::uint64_t>();
    }
}

void JsonFields::get(const char* name, std::int64_t& out) {
    if (const auto* v = find(name, "an integer")) {
        out = v->get<std::int64_t>();
    }
}

void JsonFields::get(const char* name, int& out) {
    std::int64_t wide = 0;
    if (const auto* v = find(name, "an integer")) {
        wide = v->get<std::int64_t>();
        if (wide < INT32_MIN || wide > INT32_MAX) {
            fail("field '" + (m_path.empty() ? std::string(name) : m_path + "." + name) +
                 "' is out of range: " + v->dump());
            return;
        }
        out = static_cast<int>(wide);
    }
}

void JsonFields::get(const char* name, std::vector<std::string>& out) {
    const auto* v = find(name, "an array of strings");
    if (v == nullptr) {
        return;
    }
    std::vector<std::string> items;
    for (const auto& item : *v) {
        if (!item.is_string()) {
            fail("field '" + (m_path.empty() ? std::string(name) : m_path + "." + name) +
                 "' must hold only strings");
            return;
        }
        items.push_back(item.get<std::string>());
    }
    out = std::move(items);
}

void JsonFields::get_object(const char* name, nlohmann::json& out) {
    if (const auto* v = find(name, "an object")) {
        out = *v;
    }
}

JsonFields JsonFields::child(const char* name) {
    static const nlohmann::json k_empty = nlohmann::json::object();
    const std::string full = m_path.empty() ? name : m_path + "." + name;
    const auto* v = find(name, "an object");
    JsonFields sub(v != nullptr ? *v : k_empty, full);
    sub.m_problem = m_problem;
    return sub;
}

}  // namespace wxbatch::state
