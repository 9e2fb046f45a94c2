# INTERFACE target carrying build-wide settings (sanitizers). Every target links it.
add_library(wxbatch_settings INTERFACE)
# Sanitizer builds compile at -O1 with line tables only (-g1): what the sanitizers recommend for
# usable stack traces, and half the compile time of -O2 -g (CI builds this tree too). Appended
# after the build type's flags, so these win.
set(_wx_sanitizer_opt -O1 -g1 -fno-omit-frame-pointer)
if(WXBATCH_SANITIZE STREQUAL "address")
  target_compile_options(wxbatch_settings INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=undefined ${_wx_sanitizer_opt})
  target_link_options(wxbatch_settings INTERFACE -fsanitize=address,undefined)
elseif(WXBATCH_SANITIZE STREQUAL "thread")
  target_compile_options(wxbatch_settings INTERFACE -fsanitize=thread ${_wx_sanitizer_opt})
  target_link_options(wxbatch_settings INTERFACE -fsanitize=thread)
elseif(NOT WXBATCH_SANITIZE STREQUAL "")
  message(FATAL_ERROR "WXBATCH_SANITIZE must be empty, 'address' or 'thread', not '${WXBATCH_SANITIZE}'")
endif()
