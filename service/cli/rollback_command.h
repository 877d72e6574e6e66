#pragma once
// `rdpmend rollback ACTION_ID`: undo one finished action from its backup (root / Administrator).

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

void register_rollback_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
