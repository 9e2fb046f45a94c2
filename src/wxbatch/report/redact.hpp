#pragma once
// Masks personal data in text meant for logs: every e-mail address keeps its first character
// and its domain ("alice@example.com" -> "a***@example.com").

#include <string>
#include <string_view>

namespace wxbatch::report {

std::string redact_emails(std::string_view text);

}  // namespace wxbatch::report
