#include "agent/agent_event_text.h"

namespace rdpmend::agent {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string outcome_name(journal::ActionState state) {
  return std::string(journal::to_string(state));
}

struct TextRenderer {
  std::optional<LogLine> operator()(const AgentStarted& e) const {
    return LogLine{LogLevel::kInfo, "agent started: policy Mode " + std::string(policy::mode_name(e.mode)) +
                                        ", health check every " + std::to_string(e.health_interval.count()) +
                                        " s, " + std::to_string(e.sources) + " event source(s)"};
  }
  std::optional<LogLine> operator()(const AgentStopped&) const {
    return LogLine{LogLevel::kInfo, "agent stopped"};
  }
  std::optional<LogLine> operator()(const SymptomDetected& e) const {
    return LogLine{LogLevel::kInfo, "detected " + e.symptom + " (" + e.channel + "): a remediation pass in " +
                                        std::to_string(e.settle.count()) + " ms"};
  }
  std::optional<LogLine> operator()(const PassStarted&) const { return std::nullopt; }
  std::optional<LogLine> operator()(const PassFindings& e) const {
    return LogLine{e.findings.empty() ? LogLevel::kInfo : LogLevel::kWarning,
                   "pass (" + e.why + "): findings: " + (e.findings.empty() ? "none" : joined(e.findings))};
  }
  std::optional<LogLine> operator()(const PassFailed& e) const {
    return LogLine{LogLevel::kError, "pass (" + e.why + ") changed nothing more: " + e.error};
  }
  std::optional<LogLine> operator()(const ActionOutcome& e) const {
    if (e.recovered)
      return LogLine{LogLevel::kWarning, "finished after an interruption: " + e.action + " on " + e.target +
                                             ": " + outcome_name(e.outcome) + " (" + e.detail + ")"};
    return LogLine{e.outcome == journal::ActionState::kSucceeded ? LogLevel::kInfo : LogLevel::kWarning,
                   "  " + e.action + " on " + e.target + ": " + outcome_name(e.outcome) +
                       (e.action_row ? " (action " + std::to_string(*e.action_row) + ")" : "") +
                       (e.detail.empty() ? "" : ": " + e.detail)};
  }
  std::optional<LogLine> operator()(const BreakerOpened& e) const {
    return LogLine{LogLevel::kWarning, "breaker open for " + e.action + " on " + e.target + ": " + e.detail};
  }
  std::optional<LogLine> operator()(const SelfProbeVerdict& e) const {
    return LogLine{LogLevel::kInfo, "  self-probe: " + e.verdict};
  }
  std::optional<LogLine> operator()(const SourceProblem& e) const {
    return LogLine{LogLevel::kWarning, e.text};
  }
  std::optional<LogLine> operator()(const JournalProblem& e) const { return LogLine{e.level, e.text}; }
  std::optional<LogLine> operator()(const PolicyProblem& e) const {
    return LogLine{
        LogLevel::kWarning,
        (e.source_unread ? "policy source not read (Mode capped at Observe): " : "policy: ") + e.text};
  }
};

}  // namespace

std::optional<LogLine> render_text(const AgentEvent& event) {
  return std::visit(TextRenderer{}, event);
}

}  // namespace rdpmend::agent
