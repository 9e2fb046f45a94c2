#include "wxsim/validate.hpp"

#include <algorithm>

namespace wxsim {

bool is_valid_email(const std::string& email) {
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
        return false;
    }
    const std::string domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.') {
        return false;
    }
    return std::none_of(email.begin(), email.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == ',' || c == ';';
    });
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return text;
}

}  // namespace wxsim
