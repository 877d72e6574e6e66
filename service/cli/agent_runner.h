#pragma once
// The agent's run, shared by `rdpmend run` (a console or systemd) and the Windows service host: the engine,
// the journal, the event sources and the agent on one io_context, until stopped.

#include <functional>
#include <string>

#include "agent/agent_event.h"
#include "cli/engine_setup.h"

namespace rdpmend::cli {

struct AgentRunOptions {
  EngineOptions engine;
  std::string log_dir;        // empty: default_log_folder()
  double settle_seconds = 2;  // gather an incident's events this long before its pass
  double health_seconds = 0;  // 0: the policy's ProbeIntervalMinutes
  bool no_log_file = false;
  bool json = false;  // the agent's events as JSON lines on stdout (agent_event_json.h)
  bool handle_signals =
      true;  // SIGINT/SIGTERM stop it (a console, systemd); the service host stops it itself
  agent::AgentEventSink on_event;  // besides the text log: the Windows Event Log of the service host
};

// What a service control handler may ask of the running agent, from any thread.
struct AgentControls {
  std::function<void()> request_stop;
  std::function<void()> sessions_changed;  // a session ended or changed (a held-back restart may run)
};

// Called once the agent runs, with its controls.
using AgentStarted = std::function<void(AgentControls controls)>;

// Returns an exit status (cli/exit_codes.h) when the agent has stopped or could not start.
int run_agent(const AgentRunOptions& options, const AgentStarted& started = nullptr);

}  // namespace rdpmend::cli
