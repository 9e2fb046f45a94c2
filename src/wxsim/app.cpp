#include "wxsim/app.hpp"

#include <iostream>

namespace wxsim {

int run_main(int, char**) {
    std::cerr << "wxsim: not implemented yet\n";
    return 1;
}

}  // namespace wxsim
