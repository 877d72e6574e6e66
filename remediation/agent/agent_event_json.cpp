#include "agent/agent_event_json.h"

namespace rdpmend::agent {
namespace {

using Json = nlohmann::ordered_json;

Json named(const char* name) {
  Json j;
  j["event"] = name;
  return j;
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "error";
}

struct JsonRenderer {
  Json operator()(const AgentStarted& e) const {
    auto j = named("agent-started");
    j["mode"] = policy::mode_name(e.mode);
    j["health_interval_seconds"] = e.health_interval.count();
    j["sources"] = e.sources;
    return j;
  }
  Json operator()(const AgentStopped&) const { return named("agent-stopped"); }
  Json operator()(const SymptomDetected& e) const {
    auto j = named("symptom-detected");
    j["symptom"] = e.symptom;
    j["channel"] = e.channel;
    j["settle_ms"] = e.settle.count();
    return j;
  }
  Json operator()(const PassStarted& e) const {
    auto j = named("pass-started");
    j["trigger"] = e.trigger;
    j["why"] = e.why;
    return j;
  }
  Json operator()(const PassFindings& e) const {
    auto j = named("pass-findings");
    j["why"] = e.why;
    j["findings"] = e.findings;
    return j;
  }
  Json operator()(const PassFailed& e) const {
    auto j = named("pass-failed");
    j["why"] = e.why;
    j["error"] = e.error;
    return j;
  }
  Json operator()(const ActionOutcome& e) const {
    auto j = named("action-outcome");
    j["action"] = e.action;
    j["target"] = e.target;
    j["outcome"] = journal::to_string(e.outcome);
    j["skip"] = e.skip ? Json(plan::skip_reason_id(*e.skip)) : Json();
    j["action_id"] = e.action_row ? Json(*e.action_row) : Json();
    j["recovered"] = e.recovered;
    j["detail"] = e.detail;
    return j;
  }
  Json operator()(const BreakerOpened& e) const {
    auto j = named("breaker-opened");
    j["action"] = e.action;
    j["target"] = e.target;
    j["detail"] = e.detail;
    return j;
  }
  Json operator()(const SelfProbeVerdict& e) const {
    auto j = named("self-probe");
    j["verdict"] = e.verdict;
    return j;
  }
  Json operator()(const SourceProblem& e) const {
    auto j = named("source-problem");
    j["channel"] = e.channel;
    j["gap"] = e.gap;
    j["text"] = e.text;
    return j;
  }
  Json operator()(const JournalProblem& e) const {
    auto j = named("journal-problem");
    j["level"] = level_name(e.level);
    j["text"] = e.text;
    return j;
  }
  Json operator()(const PolicyProblem& e) const {
    auto j = named("policy-problem");
    j["source_unread"] = e.source_unread;
    j["text"] = e.text;
    return j;
  }
};

}  // namespace

nlohmann::ordered_json event_to_json(const AgentEvent& event) {
  return std::visit(JsonRenderer{}, event);
}

}  // namespace rdpmend::agent
