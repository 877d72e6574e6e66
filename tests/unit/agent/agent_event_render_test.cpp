// The text log and the JSON lines are renderings of the same typed event: the lines keep the words
// administrators and their scripts know, the JSON carries the ids.
#include <gtest/gtest.h>

#include "agent/agent_event_json.h"
#include "agent/agent_event_text.h"

namespace rdpmend::agent {
namespace {

using journal::ActionState;
using namespace std::chrono_literals;

LogLine text(const AgentEvent& e) {
  auto line = render_text(e);
  EXPECT_TRUE(line.has_value());
  return line.value_or(LogLine{});
}

TEST(AgentEventText, RendersTheAgentsLines) {
  auto started = text(AgentStarted{policy::Mode::kAuto, 300s, 1});
  EXPECT_EQ(started.level, LogLevel::kInfo);
  EXPECT_EQ(started.text, "agent started: policy Mode Auto, health check every 300 s, 1 event source(s)");
  EXPECT_EQ(text(AgentStopped{}).text, "agent stopped");
  EXPECT_EQ(text(SymptomDetected{"tls-credential-key-unreadable", "System", 2000ms}).text,
            "detected tls-credential-key-unreadable (System): a remediation pass in 2000 ms");

  auto healthy = text(PassFindings{"periodic health check", {}});
  EXPECT_EQ(healthy.level, LogLevel::kInfo);
  EXPECT_EQ(healthy.text, "pass (periodic health check): findings: none");
  auto broken =
      text(PassFindings{"tls-credential-key-unreadable", {"machinekeys-acl-drift", "rdp-cert-expired"}});
  EXPECT_EQ(broken.level, LogLevel::kWarning);
  EXPECT_EQ(broken.text,
            "pass (tls-credential-key-unreadable): findings: machinekeys-acl-drift, rdp-cert-expired");

  auto failed = text(PassFailed{"periodic health check", "the journal is locked"});
  EXPECT_EQ(failed.level, LogLevel::kError);
  EXPECT_EQ(failed.text, "pass (periodic health check) changed nothing more: the journal is locked");

  auto ok = text(
      ActionOutcome{"repair-machinekeys-acl", "C:\\MachineKeys", ActionState::kSucceeded, {}, 3, "", false});
  EXPECT_EQ(ok.level, LogLevel::kInfo);
  EXPECT_EQ(ok.text, "  repair-machinekeys-acl on C:\\MachineKeys: succeeded (action 3)");
  auto skipped = text(ActionOutcome{"start-rdp-service",
                                    "TermService",
                                    ActionState::kSkipped,
                                    plan::SkipReason::kModeObserve,
                                    {},
                                    "policy Mode is Observe",
                                    false});
  EXPECT_EQ(skipped.level, LogLevel::kWarning);
  EXPECT_EQ(skipped.text, "  start-rdp-service on TermService: skipped: policy Mode is Observe");
  auto recovered = text(ActionOutcome{
      "repair-rdp-key-acl", "C:\\key", ActionState::kRolledBack, {}, 7, "applied, verify failed", true});
  EXPECT_EQ(recovered.level, LogLevel::kWarning);
  EXPECT_EQ(
      recovered.text,
      "finished after an interruption: repair-rdp-key-acl on C:\\key: rolled-back (applied, verify failed)");

  EXPECT_EQ(text(PolicyProblem{"MaxActionsPerHour: 0 is out of range", false}).text,
            "policy: MaxActionsPerHour: 0 is out of range");
  EXPECT_EQ(text(PolicyProblem{"open HKLM\\SOFTWARE\\RdpMend", true}).text,
            "policy source not read (Mode capped at Observe): open HKLM\\SOFTWARE\\RdpMend");
  EXPECT_EQ(text(JournalProblem{LogLevel::kError, "the journal did not take the bookmarks"}).level,
            LogLevel::kError);
  EXPECT_EQ(text(SelfProbeVerdict{"ok"}).text, "  self-probe: ok");
  EXPECT_FALSE(render_text(PassStarted{"tick:1", "periodic health check"}).has_value())
      << "its findings line follows at once";
}

TEST(AgentEventJson, CarriesTheTypeAndTheIds) {
  auto j = event_to_json(ActionOutcome{"regenerate-rdp-cert",
                                       "Remote Desktop",
                                       ActionState::kSkipped,
                                       plan::SkipReason::kBreakerOpen,
                                       {},
                                       "came back 3 times",
                                       false});
  EXPECT_EQ(j["event"], "action-outcome");
  EXPECT_EQ(j["action"], "regenerate-rdp-cert");
  EXPECT_EQ(j["outcome"], "skipped");
  EXPECT_EQ(j["skip"], "breaker-open");
  EXPECT_TRUE(j["action_id"].is_null());
  auto done =
      event_to_json(ActionOutcome{"repair-rdp-key-acl", "/k", ActionState::kSucceeded, {}, 4, "", false});
  EXPECT_TRUE(done["skip"].is_null());
  EXPECT_EQ(done["action_id"], 4);
  auto findings = event_to_json(PassFindings{"tick", {"rdp-cert-expired"}});
  EXPECT_EQ(findings["event"], "pass-findings");
  EXPECT_EQ(findings["findings"], nlohmann::json::array({"rdp-cert-expired"}));
  EXPECT_EQ(event_to_json(AgentStarted{policy::Mode::kObserve, 60s, 2})["health_interval_seconds"], 60);
  EXPECT_EQ(event_to_json(SourceProblem{"xrdp", "log rotated", true})["gap"], true);
}

}  // namespace
}  // namespace rdpmend::agent
