// rdpmend: the command line. Each command lives in cli/<command>_command.cpp.

#include <exception>
#include <iostream>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "cli/diagnose_command.h"
#include "cli/exit_codes.h"
#include "cli/fix_command.h"
#include "cli/history_command.h"
#include "cli/logging.h"
#include "cli/policy_command.h"
#include "cli/probe_command.h"
#include "cli/rollback_command.h"
#include "cli/run_command.h"
#include "cli/scan_command.h"
#include "cli/service_command.h"
#include "cli/version_command.h"
#include "util/printable.h"

int main(int argc, char** argv) {
  using namespace rdpmend::cli;
  CLI::App app{"RdpMend: finds and repairs the host faults behind Remote Desktop connection failures",
               "rdpmend"};
  app.require_subcommand(1);
  // Options are GNU-style everywhere; on Windows, CLI11 would otherwise read "/path" arguments as options.
  app.allow_windows_style_options(false);
  app.footer(kExitCodeHelp);
  int verbosity = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbosity, "More log output on stderr (repeat for debug)");
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr");

  int exit_code = kExitOk;
  register_scan_command(app, exit_code);
  register_probe_command(app, exit_code);
  register_diagnose_command(app, exit_code);
  register_collect_command(app, exit_code);
  register_policy_command(app, exit_code);
  register_fix_command(app, exit_code);
  register_approve_command(app, exit_code);
  register_rollback_command(app, exit_code);
  register_history_command(app, exit_code);
  register_run_command(app, exit_code);
  register_service_command(app, exit_code);
  register_version_command(app, exit_code);

  app.parse_complete_callback([&] {
    auto level = quiet            ? spdlog::level::err
                 : verbosity >= 2 ? spdlog::level::debug
                 : verbosity == 1 ? spdlog::level::info
                                  : spdlog::level::warn;
    setup_cli_logging(level);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "rdpmend: internal error: " << rdpmend::util::printable(e.what())
              << "\n";  // it may quote input
    return kExitInternal;
  }
  return exit_code;
}
