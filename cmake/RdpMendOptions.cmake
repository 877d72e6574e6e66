# Compiler settings every RdpMend target gets through the rdpmend_options interface target.
add_library(rdpmend_options INTERFACE)

if(MSVC)
  target_compile_options(rdpmend_options INTERFACE /W4 /permissive- /utf-8 /EHsc)
  if(RDPMEND_WERROR)
    target_compile_options(rdpmend_options INTERFACE /WX)
  endif()
else()
  target_compile_options(rdpmend_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports impossible overlaps inside std::string::operator+ (GCC bug 105651).
    target_compile_options(rdpmend_options INTERFACE -Wno-restrict)
  endif()
  if(RDPMEND_WERROR)
    target_compile_options(rdpmend_options INTERFACE -Werror)
  endif()
endif()

if(WIN32)
  # Windows 10 / Server 2016 and later; UNICODE Win32 APIs only.
  target_compile_definitions(rdpmend_options INTERFACE _WIN32_WINNT=0x0A00 WINVER=0x0A00 UNICODE _UNICODE
                                                       WIN32_LEAN_AND_MEAN NOMINMAX)
endif()

if(RDPMEND_SANITIZE)
  target_compile_options(rdpmend_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined)
  target_link_options(rdpmend_options INTERFACE -fsanitize=address,undefined)
endif()

if(RDPMEND_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RDPMEND_BUILD_FUZZERS needs clang (libFuzzer)")
  endif()
  target_compile_options(rdpmend_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(rdpmend_options INTERFACE -fsanitize=address,undefined)
endif()
