#include "windows/event_ids.h"

namespace rdpmend::service {
namespace {

using journal::ActionState;

struct EventIdTable {
  std::optional<EventId> operator()(const agent::AgentStarted&) const { return EventId::kAgentStarted; }
  std::optional<EventId> operator()(const agent::AgentStopped&) const { return EventId::kAgentStopped; }
  std::optional<EventId> operator()(const agent::SymptomDetected&) const { return EventId::kSymptomDetected; }
  std::optional<EventId> operator()(const agent::PassStarted&) const { return std::nullopt; }
  std::optional<EventId> operator()(const agent::PassFindings& e) const {
    if (e.findings.empty()) return std::nullopt;
    return EventId::kFinding;
  }
  std::optional<EventId> operator()(const agent::PassFailed&) const { return EventId::kAgentProblem; }
  std::optional<EventId> operator()(const agent::ActionOutcome& e) const {
    switch (e.outcome) {
      case ActionState::kSucceeded:
        return EventId::kActionSucceeded;
      case ActionState::kRolledBack:
        return EventId::kActionRolledBack;
      case ActionState::kSkipped:
        return EventId::kActionSkipped;
      case ActionState::kFailed:
      case ActionState::kPreconditionFailed:
        return EventId::kActionFailed;
      case ActionState::kIntent:  // in flight or a dry run's would-apply: the agent reports neither
      case ActionState::kApplied:
      case ActionState::kVerified:
      case ActionState::kWouldApply:
        return EventId::kAgentProblem;
    }
    return EventId::kAgentProblem;
  }
  std::optional<EventId> operator()(const agent::BreakerOpened&) const { return EventId::kBreakerOpened; }
  std::optional<EventId> operator()(const agent::SelfProbeVerdict&) const { return std::nullopt; }
  std::optional<EventId> operator()(const agent::SourceProblem&) const { return EventId::kAgentProblem; }
  std::optional<EventId> operator()(const agent::JournalProblem&) const { return EventId::kAgentProblem; }
  std::optional<EventId> operator()(const agent::PolicyProblem&) const { return EventId::kPolicyProblem; }
};

}  // namespace

std::optional<EventId> event_id_for(const agent::AgentEvent& event) {
  return std::visit(EventIdTable{}, event);
}

}  // namespace rdpmend::service
