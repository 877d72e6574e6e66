#pragma once
// `rdpmend service install|uninstall|run`: the Windows service host (windows/service_command.cpp): run is
// what the service control manager starts; install/uninstall are for development (production installs come
// from the MSI). On Linux the agent runs under systemd (`rdpmend run`): linux/service_command.cpp says so.

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

void register_service_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
