#pragma once
// The agent's own Windows Event Log entries (ReportEventW, Application log), with the stable ids of
// event_ids.h. Two ways in: the agent's typed events (make_event_log_writer, the id chosen from the event's
// type), and an spdlog sink for the warnings and errors the process logs outside them (a configuration it
// cannot use, an internal error), which are kAgentProblem; that sink skips the agent's own event lines, so
// nothing is written twice. Routine information stays in the text log. Never throws into the caller: an event
// source that cannot be opened writes nothing.

#include <memory>
#include <string>

#include <spdlog/sinks/sink.h>

#include "agent/agent_event.h"

namespace rdpmend::service {

// `source`: the event source name (the service name; event_source.h registers it).
agent::AgentEventSink make_event_log_writer(const std::wstring& source);
std::shared_ptr<spdlog::sinks::sink> make_event_log_sink(const std::wstring& source);

}  // namespace rdpmend::service
