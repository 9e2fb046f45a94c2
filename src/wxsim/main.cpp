#include "wxsim/app.hpp"

int main(int argc, char** argv) {
    return wxsim::run_main(argc, argv);
}
