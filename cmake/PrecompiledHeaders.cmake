# Precompiled headers: nlohmann/json, cpp-httplib and GoogleTest are header-heavy and reached by most
# translation units, so parsing them once per target roughly halves a clean build (CI builds twice:
# the plain tree and the ASan one). WXBATCH_PCH=OFF builds without them (e.g. to check that every
# file includes what it uses). Functions, so the call sites stay one line.
option(WXBATCH_PCH "Use precompiled headers for the heavy third-party headers" ON)

set(_wx_pch_std <string> <string_view> <vector> <map> <unordered_map> <optional> <memory>
    <functional> <algorithm> <chrono> <mutex> <atomic> <thread> <cstdint> <stdexcept> <utility>)

function(wxbatch_precompile target)
  if(WXBATCH_PCH)
    target_precompile_headers(${target} PRIVATE ${_wx_pch_std} ${ARGN})
  endif()
endfunction()

# GCC 12 reports -Warray-bounds and -Wstringop-overflow false positives inside std::string's inlined copies when
# <string> comes from a precompiled header (the system-header exemption is lost); test files
# that build long strings trip it. Tests only: the library keeps the warning.
function(wxbatch_precompile_tests target)
  wxbatch_precompile(${target} ${ARGN})
  if(WXBATCH_PCH AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-array-bounds -Wno-stringop-overflow)
  endif()
endfunction()
