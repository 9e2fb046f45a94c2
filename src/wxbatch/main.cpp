#include "wxbatch/cli/app.hpp"

int main(int argc, char** argv) { return wxbatch::cli::run_main(argc, argv); }
