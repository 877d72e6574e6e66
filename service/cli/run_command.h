#pragma once
// `rdpmend run`: the agent in the foreground (systemd runs it so; the Windows service host will run the same
// loop). Stops cleanly on SIGTERM / SIGINT.

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

void register_run_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
