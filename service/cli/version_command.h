#pragma once
// `rdpmend version`: this build and the libraries in it (what support asks first).

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

void register_version_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
