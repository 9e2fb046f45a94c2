#pragma once
// Where the Webex access token comes from (SPEC §2): --token-file, --token-command, or the
// environment variable WEBEX_ACCESS_TOKEN. Never a flag value. Errors never contain the token
// nor the output of the token command.

#include <optional>
#include <string>

#include "wxbatch/util/expected.hpp"

namespace wxbatch::webex {

struct TokenSource {
    std::optional<std::string> file;     // --token-file PATH
    std::optional<std::string> command;  // --token-command CMD (run by /bin/sh -c)
};

// The token, whitespace trimmed. In order: the file (refused when group or others have any
// access: "chmod 600 FILE"), the command (its stdout; a non-zero exit is an error naming the
// command), else WEBEX_ACCESS_TOKEN. Giving both a file and a command, an empty token, or one
// holding spaces or control characters are errors; with no source at all, the error lists the
// three ways.
Expected<std::string, std::string> load_token(const TokenSource& source);

}  // namespace wxbatch::webex
