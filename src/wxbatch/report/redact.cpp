#include "wxbatch/report/redact.hpp"

#include <cctype>

namespace wxbatch::report {

namespace {
bool is_local_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '%' ||
           c == '+' || c == '-';
}
}  // namespace

std::string redact_emails(std::string_view text) {
    std::string out(text);
    std::size_t at = out.find('@');
    while (at != std::string::npos) {
        std::size_t start = at;
        while (start > 0 && is_local_char(out[start - 1])) {
            --start;
        }
        if (at - start >= 2 && at + 1 < out.size() &&
            std::isalnum(static_cast<unsigned char>(out[at + 1])) != 0) {
            out.replace(start + 1, at - start - 1, "***");
            at = start + 4;
        }
        at = out.find('@', at + 1);
    }
    return out;
}

}  // namespace wxbatch::report
