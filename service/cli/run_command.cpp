#include "cli/run_command.h"

#include "cli/agent_runner.h"
#include "cli/exit_codes.h"

namespace rdpmend::cli {

void register_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AgentRunOptions>();
  auto* cmd = app.add_subcommand("run", "Run the agent: watch events, repair what the policy allows (root)");
  cmd->add_option("--host", args->engine.host, "local (default) or sim:FILE");
  cmd->add_option("--config", args->engine.config, "Configuration file ([xrdp], [policy])");
  cmd->add_option("--journal", args->engine.journal, "The journal database (default: as fix)");
  cmd->add_option("--log-dir", args->log_dir,
                  "Folder of the rotating log (default /var/log/rdpmend, %ProgramData%\\RdpMend\\logs)");
  cmd->add_flag("--no-log-file", args->no_log_file, "Log to stderr only");
  cmd->add_flag("--json", args->json, "Also print the agent's events on stdout, one JSON object per line");
  cmd->add_option("--settle", args->settle_seconds,
                  "Seconds to gather an incident's events before its pass (default 2)")
      ->check(CLI::Range(0.0, 300.0));
  cmd->add_option(
         "--health-interval", args->health_seconds,
         "Seconds between health checks, instead of the policy's ProbeIntervalMinutes (tests, demos)")
      ->check(CLI::Range(1.0, 86400.0));
  cmd->footer(std::string(kExitCodeHelp) +
              "\nrun: 0 stopped by SIGTERM/SIGINT, 3 configuration or journal unusable, 4 not root.");
  cmd->callback([args, &exit_code] { exit_code = run_agent(*args); });
}

}  // namespace rdpmend::cli
