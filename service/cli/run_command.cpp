#include "cli/run_command.h"

#include <csignal>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "agent/agent.h"
#include "cli/engine_setup.h"
#include "cli/exit_codes.h"
#include "cli/host_privilege.h"
#include "cli/logging.h"

namespace rdpmend::cli {
namespace {

struct RunArgs {
  EngineOptions engine;
  std::string log_dir;
  double settle_seconds = 2;
  double health_seconds = 0;  // 0: the policy's ProbeIntervalMinutes
  bool no_log_file = false;
};

int run(const RunArgs& args) {
  auto engine = make_engine(args.engine);
  if (!engine) {
    spdlog::error("{}", engine.error().message());
    return kExitInputError;
  }
  auto& e = engine.value();
  if (!e.privileged) {
    spdlog::error(
        "the agent changes the host: run it as root (Linux) or as a service / elevated Administrator "
        "(Windows)");
    return kExitNotPermitted;
  }
  if (!args.no_log_file) {
    std::string folder = args.log_dir.empty() ? default_log_folder() : args.log_dir;
    if (auto added = add_agent_log_file(folder); !added)
      spdlog::warn("{}; logging to stderr only", added.error().message());
  }
  for (const auto& err : e.policy.errors)
    spdlog::warn("policy source not read (Mode capped at Observe): {}", err.message());
  for (const auto& w : e.policy.warnings) spdlog::warn("policy: {}", w.message());
  auto crash_at = execute::crash_point_from_environment();
  if (!crash_at) {
    spdlog::error("{}", crash_at.error().message());
    return kExitUsage;
  }

  std::optional<journal::Journal> journal;
  if (auto opened = open_journal(e); opened) {
    journal.emplace(std::move(opened).value());
  } else {
    spdlog::error("{}", opened.error().message());
    return kExitInputError;
  }

  boost::asio::io_context io;
  agent::AgentDeps deps;
  deps.host = e.host.get();
  deps.actions = &e.actions;
  deps.journal = &*journal;
  deps.policy = &e.policy;
  deps.sources = agent::make_event_sources(io, agent::EventSourceConfig{e.config.xrdp.log});
  deps.log = [](agent::LogLevel level, const std::string& text) {
    if (level == agent::LogLevel::kError)
      spdlog::error("{}", text);
    else if (level == agent::LogLevel::kWarning)
      spdlog::warn("{}", text);
    else
      spdlog::info("{}", text);
  };
  agent::AgentConfig config;
  config.privileged = e.privileged;
  config.crash_at = crash_at.value();
  config.settle =
      std::chrono::duration_cast<agent::Clock::duration>(std::chrono::duration<double>(args.settle_seconds));
  if (args.health_seconds > 0)
    config.health_interval = std::chrono::duration_cast<agent::Clock::duration>(
        std::chrono::duration<double>(args.health_seconds));
  agent::Agent agent(io, std::move(deps), config);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: stopping", signal);
    agent.stop();
  });
  agent.start();
  io.run();
  auto stats = agent.stats();
  spdlog::info(
      "events {}, symptoms {}, passes {} ({} held off), actions succeeded {}, failed or rolled back {}",
      stats.events, stats.gate.symptoms_seen, stats.passes, stats.gate.held_off, stats.actions_succeeded,
      stats.actions_failed);
  return kExitOk;
}

}  // namespace

void register_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run the agent: watch events, repair what the policy allows (root)");
  cmd->add_option("--host", args->engine.host, "local (default) or sim:FILE");
  cmd->add_option("--config", args->engine.config, "Configuration file ([xrdp], [policy])");
  cmd->add_option("--journal", args->engine.journal, "The journal database (default: as fix)");
  cmd->add_option("--log-dir", args->log_dir,
                  "Folder of the rotating log (default /var/log/rdpmend, %ProgramData%\\RdpMend\\logs)");
  cmd->add_flag("--no-log-file", args->no_log_file, "Log to stderr only");
  cmd->add_option("--settle", args->settle_seconds,
                  "Seconds to gather an incident's events before its pass (default 2)")
      ->check(CLI::Range(0.0, 300.0));
  cmd->add_option(
         "--health-interval", args->health_seconds,
         "Seconds between health checks, instead of the policy's ProbeIntervalMinutes (tests, demos)")
      ->check(CLI::Range(1.0, 86400.0));
  cmd->footer(std::string(kExitCodeHelp) +
              "\nrun: 0 stopped by SIGTERM/SIGINT, 3 configuration or journal unusable, 4 not root.");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace rdpmend::cli
