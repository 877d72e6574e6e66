#include "windows/event_ids.h"

namespace rdpmend::service {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// "  <action> on <target>: <outcome>[ (action N)][: detail]" (one executed action) and
// "finished after an interruption: <action> on <target>: <outcome> (detail)" (crash recovery): the outcome is
// the word after the first ": " that follows " on " (a target such as C:\ProgramData has no ": ").
std::optional<EventId> action_outcome(std::string_view line) {
  auto on = line.find(" on ");
  if (on == std::string_view::npos) return std::nullopt;
  auto colon = line.find(": ", on);
  if (colon == std::string_view::npos) return std::nullopt;
  auto rest = line.substr(colon + 2);
  auto outcome = rest.substr(0, rest.find_first_of(" :"));
  if (outcome == "succeeded") return EventId::kActionSucceeded;
  if (outcome == "rolled-back") return EventId::kActionRolledBack;
  if (outcome == "failed" || outcome == "precondition-failed") return EventId::kActionFailed;
  return std::nullopt;
}

}  // namespace

std::optional<EventId> event_for_line(LineLevel level, std::string_view line) {
  if (line.starts_with("agent started")) return EventId::kAgentStarted;
  if (line.starts_with("agent stopped")) return EventId::kAgentStopped;
  if (line.starts_with("detected ")) return EventId::kSymptomDetected;
  if (line.starts_with("policy")) return EventId::kPolicyProblem;  // "policy: ...", "policy source not read"
  if (line.starts_with("pass (") && contains(line, "): findings: ") && !line.ends_with("): findings: none"))
    return EventId::kFinding;
  if (line.starts_with("  ")) {
    if (auto outcome = action_outcome(line)) return outcome;
  }
  constexpr std::string_view kRecovered = "finished after an interruption: ";
  if (line.starts_with(kRecovered)) {
    if (auto outcome = action_outcome(line.substr(kRecovered.size() - 1))) return outcome;
  }
  if (level == LineLevel::kInfo) return std::nullopt;
  return EventId::kAgentProblem;
}

}  // namespace rdpmend::service
