#pragma once
// An spdlog sink that writes the agent's own Windows Event Log entries (ReportEventW, Application log) with
// the stable ids of event_ids.h: agent started/stopped, symptom detected, finding, action outcome, policy
// problem, any other warning or error. Routine information stays in the text log. Never throws into the
// caller: an event source that cannot be opened writes nothing.

#include <memory>
#include <string>

#include <spdlog/sinks/sink.h>

namespace rdpmend::service {

// `source`: the event source name (the service name; event_source.h registers it).
std::shared_ptr<spdlog::sinks::sink> make_event_log_sink(const std::wstring& source);

}  // namespace rdpmend::service
