#pragma once
// Small request-validation helpers shared by the routes and the store.

#include <string>

namespace wxsim {

// True when `email` looks like an address Webex accepts: one '@', a non-empty local part,
// a dotted domain, no whitespace or control characters.
bool is_valid_email(const std::string& email);

// ASCII lower case.
std::string lower(std::string text);

}  // namespace wxsim
