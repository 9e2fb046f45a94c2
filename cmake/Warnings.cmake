# INTERFACE target carrying the project's warning set; errors when WXBATCH_WERROR is on (CI).
add_library(wxbatch_warnings INTERFACE)
target_compile_options(wxbatch_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wimplicit-fallthrough)
if(WXBATCH_WERROR)
  target_compile_options(wxbatch_warnings INTERFACE -Werror)
endif()
