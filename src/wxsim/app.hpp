#pragma once
// wxsim's command line: parses flags, starts the server, waits for SIGTERM/SIGINT.

namespace wxsim {

int run_main(int argc, char** argv);

}  // namespace wxsim
