#pragma once
// `rdpmend history [--json] [--since 7d]`: the actions in the journal, oldest first.

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

void register_history_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
