#include <spdlog/spdlog.h>

#include "cli/exit_codes.h"
#include "cli/service_command.h"

namespace rdpmend::cli {

// The Windows service host is not built yet.
void register_service_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("service", "Install, remove or run the Windows service (not built yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    spdlog::error("the Windows service host is not built yet: run `rdpmend run` from an elevated prompt");
    exit_code = kExitUnsupported;
  });
}

}  // namespace rdpmend::cli
