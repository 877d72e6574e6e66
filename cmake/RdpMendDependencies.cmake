# Every third-party library comes from Debian packages (scripts/setup.sh), or from vcpkg (vcpkg.json) for the MSVC
# build on Windows. Native builds and MSVC + vcpkg share the second branch below: the package and target names
# are those that both Debian's CMake packages and vcpkg's ports export. The MinGW cross-build uses the header-only libraries
# straight from Debian's headers (through a folder of symlinks, never -I/usr/include, which would pull
# in glibc headers), and the compiled ones (GoogleTest, SQLiteCpp + SQLite, pugixml, OpenSSL) from
# the prefix that scripts/mingw-deps.sh builds from Debian's sources (RDPMEND_MINGW_PREFIX).

if(CMAKE_CROSSCOMPILING AND MINGW)
  set(RDPMEND_MINGW_PREFIX "$ENV{RDPMEND_MINGW_PREFIX}" CACHE PATH "Prefix made by scripts/mingw-deps.sh")
  if(NOT RDPMEND_MINGW_PREFIX OR NOT EXISTS "${RDPMEND_MINGW_PREFIX}/.complete")
    message(FATAL_ERROR "RDPMEND_MINGW_PREFIX is not set to a finished scripts/mingw-deps.sh prefix")
  endif()
  list(APPEND CMAKE_FIND_ROOT_PATH "${RDPMEND_MINGW_PREFIX}")
  list(APPEND CMAKE_PREFIX_PATH "${RDPMEND_MINGW_PREFIX}")

  set(host_headers "${CMAKE_BINARY_DIR}/debian-headers")
  file(MAKE_DIRECTORY "${host_headers}")
  foreach(dir boost spdlog fmt nlohmann CLI toml++)
    file(CREATE_LINK "/usr/include/${dir}" "${host_headers}/${dir}" SYMBOLIC)
  endforeach()

  add_library(rdpmend_header_libs INTERFACE)
  target_include_directories(rdpmend_header_libs SYSTEM INTERFACE "${host_headers}")
  # Debian's spdlog is configured for an external fmt; both are used header-only here.
  target_compile_definitions(rdpmend_header_libs INTERFACE SPDLOG_HEADER_ONLY FMT_HEADER_ONLY TOML_HEADER_ONLY=1
                                                           BOOST_ALL_NO_LIB)
  target_link_libraries(rdpmend_header_libs INTERFACE ws2_32 mswsock)

  add_library(Boost::headers ALIAS rdpmend_header_libs)
  add_library(spdlog::spdlog ALIAS rdpmend_header_libs)
  add_library(fmt::fmt ALIAS rdpmend_header_libs)
  add_library(nlohmann_json::nlohmann_json ALIAS rdpmend_header_libs)
  add_library(CLI11::CLI11 ALIAS rdpmend_header_libs)
  add_library(tomlplusplus::tomlplusplus ALIAS rdpmend_header_libs)

  find_package(pugixml CONFIG REQUIRED)
  find_package(SQLiteCpp CONFIG REQUIRED)
  set(OPENSSL_USE_STATIC_LIBS ON)
  set(OPENSSL_ROOT_DIR "${RDPMEND_MINGW_PREFIX}")
  find_package(OpenSSL REQUIRED)
  # Static OpenSSL on Windows needs these system libraries.
  set_property(TARGET OpenSSL::Crypto APPEND PROPERTY INTERFACE_LINK_LIBRARIES ws2_32 crypt32 advapi32 user32 bcrypt)
  if(RDPMEND_BUILD_TESTS)
    find_package(GTest CONFIG REQUIRED)
  endif()
  if(CMAKE_HOST_UNIX)
    include(RdpMendWine)  # the test emulator: Wine, with the prefix and settings of scripts/wine-env.sh
  endif()
else()
  find_package(Boost 1.74 REQUIRED)
  find_package(fmt CONFIG REQUIRED)
  find_package(spdlog CONFIG REQUIRED)
  find_package(nlohmann_json CONFIG REQUIRED)
  find_package(CLI11 CONFIG REQUIRED)
  find_package(tomlplusplus CONFIG REQUIRED)
  find_package(pugixml CONFIG REQUIRED)
  find_package(SQLiteCpp CONFIG REQUIRED)
  find_package(OpenSSL REQUIRED)
  find_package(Threads REQUIRED)
  if(RDPMEND_BUILD_TESTS)
    find_package(GTest CONFIG REQUIRED)
  endif()
endif()

if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # Boost 1.74's Asio uses std::exchange without including <utility>; GCC 12 in C++20 mode no longer
  # pulls it in transitively.
  target_compile_options(rdpmend_options INTERFACE -include utility)
endif()
