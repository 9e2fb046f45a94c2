#pragma once
// A property check for the fuzz targets: a violated property aborts with a message, which
// libFuzzer reports as a crash and saves as a reproducer.

#include <cstdio>
#include <cstdlib>

#define WXFUZZ_CHECK(condition)                                                           \
    do {                                                                                  \
        if (!(condition)) {                                                               \
            std::fprintf(stderr, "property violated: %s (%s:%d)\n", #condition, __FILE__, \
                         __LINE__);                                                       \
            std::abort();                                                                 \
        }                                                                                 \
    } while (false)
