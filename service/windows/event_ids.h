#pragma once
// The agent's Windows Event Log entries: one stable event id per kind of line the agent logs
// (EVENT_IDS.md lists them; rdpmend_messages.mc holds their message texts, each with the line as %1).
// A pure mapping from a log line to its id, so the choice is tested without an Event Log.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rdpmend::service {

enum class EventId : std::uint16_t {
  kAgentStarted = 1000,
  kAgentStopped = 1001,
  kSymptomDetected = 1100,
  kFinding = 1200,
  kActionSucceeded = 1300,
  kActionFailed = 1301,
  kActionRolledBack = 1302,
  kPolicyProblem = 1400,
  kAgentProblem = 1900,  // any other warning or error
};

inline constexpr std::array kAllEventIds = {
    EventId::kAgentStarted,     EventId::kAgentStopped,    EventId::kSymptomDetected,
    EventId::kFinding,          EventId::kActionSucceeded, EventId::kActionFailed,
    EventId::kActionRolledBack, EventId::kPolicyProblem,   EventId::kAgentProblem,
};

enum class LineLevel { kInfo, kWarning, kError };

// The event a log line becomes, or nullopt when it stays in the text log only (routine information: a pass
// that found nothing, a self-probe verdict, statistics). Every warning and error becomes an event.
std::optional<EventId> event_for_line(LineLevel level, std::string_view line);

}  // namespace rdpmend::service
