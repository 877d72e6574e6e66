#pragma once
// `rdpmend service run`: what the service control manager starts. Connects to the SCM
// (StartServiceCtrlDispatcherW), reports START_PENDING with wait hints and checkpoints, then RUNNING once the
// agent runs (cli/agent_runner.h, on the service thread); STOP, SHUTDOWN and PRESHUTDOWN report STOP_PENDING
// and stop the agent; STOPPED carries the agent's exit status (ERROR_SERVICE_SPECIFIC_ERROR + the status when
// it is not 0). Logs go to the rotating file and the Application event log, never to a console.

#include <string>

#include "cli/agent_runner.h"

namespace rdpmend::service {

// Returns the process's exit status: the agent's, or kExitUsage when not started by the SCM.
int run_service_host(const std::wstring& name, cli::AgentRunOptions options);

}  // namespace rdpmend::service
