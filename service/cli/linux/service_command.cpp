#include <spdlog/spdlog.h>

#include "cli/exit_codes.h"
#include "cli/service_command.h"

namespace rdpmend::cli {

void register_service_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("service", "Windows only: install, remove or run the Windows service");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    spdlog::error(
        "there is no service control manager here: run `rdpmend run` under systemd (see the README)");
    exit_code = kExitUnsupported;
  });
}

}  // namespace rdpmend::cli
