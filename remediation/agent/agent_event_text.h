#pragma once
// The text log's rendering of an agent event: its level and its line (the rotating log, stderr, journald).
// nullopt: the event is not a line of the text log (a pass's start: its findings line follows at once).

#include <optional>
#include <string>

#include "agent/agent_event.h"

namespace rdpmend::agent {

struct LogLine {
  LogLevel level = LogLevel::kInfo;
  std::string text;
};

std::optional<LogLine> render_text(const AgentEvent& event);

}  // namespace rdpmend::agent
