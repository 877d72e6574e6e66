#pragma once
// The agent's Windows Event Log entries: one stable event id per type of agent event (EVENT_IDS.md lists
// them; rdpmend_messages.mc holds their message texts, each with the event's text-log line as %1). A table
// keyed by the typed event (agent/agent_event.h), tested without an Event Log. Warnings and errors the
// process logs outside the agent's events (a configuration it cannot use) are kAgentProblem.

#include <array>
#include <cstdint>
#include <optional>

#include "agent/agent_event.h"

namespace rdpmend::service {

enum class EventId : std::uint16_t {
  kAgentStarted = 1000,
  kAgentStopped = 1001,
  kSymptomDetected = 1100,
  kFinding = 1200,
  kActionSucceeded = 1300,
  kActionFailed = 1301,
  kActionRolledBack = 1302,
  kActionSkipped = 1303,
  kBreakerOpened = 1310,
  kPolicyProblem = 1400,
  kAgentProblem = 1900,  // a pass, an event source or the journal failed; any other warning or error
};

inline constexpr std::array kAllEventIds = {
    EventId::kAgentStarted,    EventId::kAgentStopped,  EventId::kSymptomDetected,  EventId::kFinding,
    EventId::kActionSucceeded, EventId::kActionFailed,  EventId::kActionRolledBack, EventId::kActionSkipped,
    EventId::kBreakerOpened,   EventId::kPolicyProblem, EventId::kAgentProblem,
};

// The entry an agent event becomes, or nullopt when it stays in the text log only (routine information: a
// pass's start, a pass that found nothing, a self-probe verdict).
std::optional<EventId> event_id_for(const agent::AgentEvent& event);

}  // namespace rdpmend::service
