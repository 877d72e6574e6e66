#include "cli/agent_runner.h"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <iostream>

#include "agent/agent.h"
#include "agent/agent_event_json.h"
#include "agent/agent_event_text.h"
#include "cli/exit_codes.h"
#include "cli/host_privilege.h"
#include "cli/logging.h"
#include "cli/stop_signals.h"

namespace rdpmend::cli {
namespace {

spdlog::level::level_enum spdlog_level(agent::LogLevel level) {
  switch (level) {
    case agent::LogLevel::kInfo:
      return spdlog::level::info;
    case agent::LogLevel::kWarning:
      return spdlog::level::warn;
    case agent::LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::err;
}

// One sink, three renderers: the text log, the JSON lines, and the caller's (the Windows Event Log).
// Made after the log file is added: the logger copies the default logger's sinks.
agent::AgentEventSink make_event_sink(const AgentRunOptions& args) {
  std::shared_ptr<spdlog::logger> text_log = spdlog::default_logger()->clone(std::string(kAgentEventLogger));
  return [text_log, json = args.json, extra = args.on_event](const agent::AgentEvent& event) {
    if (auto line = agent::render_text(event)) text_log->log(spdlog_level(line->level), "{}", line->text);
    if (json) std::cout << agent::event_to_json(event).dump() << std::endl;
    if (extra) extra(event);
  };
}

}  // namespace

int run_agent(const AgentRunOptions& args, const AgentStarted& started) {
  int refused = kExitOk;
  auto engine = privileged_engine(args.engine, "the agent changes the host", refused);
  if (!engine) return refused;
  auto& e = *engine;
  if (!args.no_log_file) {
    std::string folder = args.log_dir.empty() ? default_log_folder() : args.log_dir;
    if (auto added = add_agent_log_file(folder); !added)
      spdlog::warn("{}; logging to stderr only", added.error().message());
  }
  auto report = make_event_sink(args);
  for (const auto& err : e.policy.errors) report(agent::PolicyProblem{err.message(), true});
  for (const auto& w : e.policy.warnings) report(agent::PolicyProblem{w.message(), false});
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
  deps.events = report;
  agent::AgentConfig config;
  config.privileged = e.privileged;
  config.crash_at = crash_at.value();
  config.settle =
      std::chrono::duration_cast<agent::Clock::duration>(std::chrono::duration<double>(args.settle_seconds));
  if (args.health_seconds > 0)
    config.health_interval = std::chrono::duration_cast<agent::Clock::duration>(
        std::chrono::duration<double>(args.health_seconds));
  agent::Agent agent(io, std::move(deps), config);

  auto stop = [&] { agent.stop(); };
  std::optional<StopSignals> signals;
  if (args.handle_signals) signals.emplace(io, stop);
  agent.start();
  if (started)
    started({[&io, &stop] { boost::asio::post(io, stop); }, [&agent] { agent.sessions_changed(); }});
  io.run();
  if (signals) signals->stopped();
  auto stats = agent.stats();
  spdlog::info(
      "events {}, symptoms {}, passes {} ({} held off), actions succeeded {}, failed or rolled back {}",
      stats.events, stats.gate.symptoms_seen, stats.passes, stats.gate.held_off, stats.actions_succeeded,
      stats.actions_failed);
  return kExitOk;
}

}  // namespace rdpmend::cli
