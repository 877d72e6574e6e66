// A whole pass on the simulated host with a real journal: the policy's gates fed by the journal's own
// history (cooldown, rate limit, circuit breaker with its alert), Mode Approve and `approve`, --only.

#include "execute/pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/catalog_ids.h"
#include "inspect/schannel_rules.h"
#include "sim_rig.h"

namespace rdpmend::execute::test {
namespace {

using namespace std::chrono_literals;
using journal::ActionState;

const ActionReport* report_for(const PassResult& r, const std::string& action) {
  for (const auto& a : r.executed.reports)
    if (a.action == action) return &a;
  return nullptr;
}

PassOptions privileged() {
  PassOptions o;
  o.privileged = true;
  return o;
}

class Pass : public SimRig {
 protected:
  static policy::Policy restart_allowed() {
    return policy_with(
        {{"Mode", std::string("Auto")}, {"AllowRegenerateRdpCert", true}, {"AllowRestartRdpService", true}});
  }
};

TEST_F(Pass, AutoRepairsTheHostAndRecordsPlanFindingsAndPolicy) {
  start_with(break_windows_host);
  auto p = process();
  auto result = p.pass(auto_policy(), privileged());
  ASSERT_TRUE(result) << result.error().message();
  ASSERT_TRUE(result.value().plan_id);
  for (const auto& r : result.value().executed.reports) {
    if (r.action == "restart-rdp-service")  // SessionEnv made the certificate: no restart needed
      EXPECT_EQ(r.skip, plan::SkipReason::kNothingToRestart) << r.detail;
    else
      EXPECT_EQ(r.outcome, ActionState::kSucceeded) << r.action;
  }
  EXPECT_TRUE(
      diagnosis::diagnose(result.value().executed.final_state, {}, diagnosis::default_diagnosis_catalog())
          .findings.empty());
  auto plan = p.journal->plans().find(*result.value().plan_id).value();
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->state, journal::PlanState::kExecuted);
  EXPECT_EQ(std::count_if(plan->plan.actions.begin(), plan->plan.actions.end(),
                          [](const plan::PlannedAction& a) { return a.chosen(); }),
            3);
  EXPECT_EQ(p.journal->observations().findings_since({}).value().size(), 2u);
  EXPECT_TRUE(p.journal->audit().latest_policy_snapshot().value());
}

TEST_F(Pass, ObserveReportsAndChangesNothing) {
  start_with(break_windows_host);
  auto p = process();
  const auto before = snapshot_text(*p.state);
  auto result = p.pass(policy_with({}), privileged());
  ASSERT_TRUE(result);
  for (const auto& r : result.value().executed.reports) {
    EXPECT_EQ(r.outcome, ActionState::kSkipped);
    EXPECT_EQ(r.skip, plan::SkipReason::kModeObserve);
  }
  EXPECT_EQ(snapshot_text(*p.state), before);
  EXPECT_TRUE(p.journal->actions().history({}).value().empty());
}

TEST_F(Pass, CooldownFromTheJournalHoldsBackARepeat) {
  start_with(break_windows_host);
  auto p = process();
  ASSERT_TRUE(p.pass(auto_policy(), privileged()));
  p.state->certificate.info->expired = true;  // broken again minutes later
  auto again = p.pass(auto_policy(), privileged());
  ASSERT_TRUE(again);
  const auto* regen = report_for(again.value(), "regenerate-rdp-cert");
  ASSERT_TRUE(regen);
  EXPECT_EQ(regen->outcome, ActionState::kSkipped);
  EXPECT_EQ(regen->skip, plan::SkipReason::kCooldown) << regen->detail;
  EXPECT_TRUE(p.state->certificate.info->expired);
}

TEST_F(Pass, RateLimitCountsWhatTheJournalRecorded) {
  start_with(break_windows_host);
  auto p = process();
  auto policy = policy_with(
      {{"Mode", std::string("Auto")}, {"AllowRegenerateRdpCert", true}, {"MaxActionsPerHour", 1}});
  auto result = p.pass(policy, privileged());
  ASSERT_TRUE(result);
  EXPECT_EQ(report_for(result.value(), "repair-machinekeys-acl")->outcome, ActionState::kSucceeded);
  const auto* regen = report_for(result.value(), "regenerate-rdp-cert");
  EXPECT_EQ(regen->outcome, ActionState::kSkipped);
  EXPECT_EQ(regen->skip, plan::SkipReason::kRateLimit);
  auto next = p.pass(policy, privileged());  // the hour is not over: the journal's count holds it back
  ASSERT_TRUE(next);
  EXPECT_EQ(report_for(next.value(), "regenerate-rdp-cert")->skip, plan::SkipReason::kRateLimit);
}

// The session guard reads the host's own count: with nobody signed in the restart runs under the default
// (AllowServiceRestartWithActiveSessions off); with one user it is held back, the other repairs done.

// The seed scenario (a Windows upgrade broke the MachineKeys DACL, the self-signed certificate expired): the
// DACL is repaired and SessionEnv makes the new certificate, so no TermService restart is needed, with
// nobody signed in or with a user working (docs/SESSIONS.md).
class SeedScenario : public Pass, public ::testing::WithParamInterface<inspect::SessionCounts> {};

TEST_P(SeedScenario, IsRepairedWithoutATermServiceRestart) {
  {
    const auto sessions = GetParam();
    start_with([&](inspect::HostState& s) {
      break_windows_host(s);
      s.sessions = sessions;
    });
    auto p = process();
    auto result = p.pass(restart_allowed(), privileged());
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(report_for(result.value(), "repair-machinekeys-acl")->outcome, ActionState::kSucceeded);
    EXPECT_EQ(report_for(result.value(), "regenerate-rdp-cert")->outcome, ActionState::kSucceeded);
    const auto* restart = report_for(result.value(), "restart-rdp-service");
    ASSERT_TRUE(restart);
    EXPECT_EQ(restart->outcome, ActionState::kSkipped);
    EXPECT_EQ(restart->skip, plan::SkipReason::kNothingToRestart) << restart->detail;
    EXPECT_TRUE(
        diagnosis::diagnose(result.value().executed.final_state, {}, diagnosis::default_diagnosis_catalog())
            .findings.empty());
  }
}
INSTANTIATE_TEST_SUITE_P(Sessions, SeedScenario,
                         ::testing::Values(inspect::SessionCounts{}, inspect::SessionCounts{1, 1}));

// Where SessionEnv makes no certificate, the TermService restart makes it: it runs with nobody signed in...
TEST_F(Pass, TheRestartRunsWithNoSessionsWhenSessionEnvMakesNoCertificate) {
  start_with([](inspect::HostState& s) {
    break_windows_host(s);
    s.sessions = inspect::SessionCounts{};
  });
  auto p = process();
  p.faults->session_env_makes_no_certificate = true;
  auto result = p.pass(restart_allowed(), privileged());
  ASSERT_TRUE(result) << result.error().message();
  const auto* restart = report_for(result.value(), "restart-rdp-service");
  ASSERT_TRUE(restart);
  EXPECT_EQ(restart->outcome, ActionState::kSucceeded) << restart->detail;
  EXPECT_TRUE(p.state->certificate.present);
  EXPECT_FALSE(p.state->certificate.info->expired);
}

// ...and is held back while a session runs, or while nobody can say whether one does. The journal keeps the
// held restart as pending with its reason; once the sessions end, the next pass runs it, in a new process
// too (an agent restarted in between), and the hold ends with the action that ran it.
class HeldRestart : public Pass,
                    public ::testing::WithParamInterface<std::optional<inspect::SessionCounts>> {};

TEST_P(HeldRestart, IsPendingWhileASessionRunsOrTheCountIsUnknownAndRunsWhenTheyEnd) {
  const auto sessions = GetParam();
  start_with([&](inspect::HostState& s) {
    break_windows_host(s);
    s.sessions = sessions;
  });
  {
    auto p = process();
    p.faults->session_env_makes_no_certificate = true;
    auto result = p.pass(restart_allowed(), privileged());
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(report_for(result.value(), "regenerate-rdp-cert")->outcome, ActionState::kSucceeded);
    const auto* restart = report_for(result.value(), "restart-rdp-service");
    ASSERT_TRUE(restart);
    EXPECT_EQ(restart->outcome, ActionState::kSkipped);
    EXPECT_EQ(restart->skip, plan::SkipReason::kActiveSessions) << restart->detail;
    EXPECT_FALSE(p.state->certificate.present);  // until TermService restarts
    const auto& held = result.value().held_restarts;
    ASSERT_EQ(held.size(), 1u) << result.value().hold_problem;
    EXPECT_EQ(held[0].action, "restart-rdp-service");
    EXPECT_EQ(held[0].target, "TermService");
    EXPECT_EQ(held[0].state, journal::HoldState::kPending);
    EXPECT_EQ(held[0].reason, plan::SkipReason::kActiveSessions);
    EXPECT_EQ(held[0].detail, restart->detail);
    EXPECT_EQ(held[0].plan_id, result.value().plan_id);
    EXPECT_THAT(held[0].findings, ::testing::Contains(std::string(ids::finding::kRdpCertExpired)));

    // Another pass while the session still runs: still pending, the same hold, nothing else changed.
    auto again = p.pass(restart_allowed(), privileged());
    ASSERT_TRUE(again) << again.error().message();
    ASSERT_EQ(again.value().held_restarts.size(), 1u);
    EXPECT_EQ(again.value().held_restarts[0].id, held[0].id);
    EXPECT_FALSE(p.state->certificate.present);
  }
  // The agent restarts and the last session ends.
  auto p = process();
  p.state->sessions = inspect::SessionCounts{};
  auto result = p.pass(restart_allowed(), privileged());
  ASSERT_TRUE(result) << result.error().message();
  const auto* restart = report_for(result.value(), "restart-rdp-service");
  ASSERT_TRUE(restart);
  EXPECT_EQ(restart->outcome, ActionState::kSucceeded) << restart->detail;
  ASSERT_TRUE(p.state->certificate.present);
  EXPECT_FALSE(p.state->certificate.info->expired);
  EXPECT_TRUE(result.value().held_restarts.empty());
  auto ended = p.journal->restarts().history({}).value();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].state, journal::HoldState::kRan);
  EXPECT_EQ(ended[0].ran_as, restart->action_row);
  EXPECT_TRUE(ended[0].finished_at);
}
INSTANTIATE_TEST_SUITE_P(
    Sessions, HeldRestart,
    ::testing::Values(std::optional<inspect::SessionCounts>{inspect::SessionCounts{1, 0}},
                      std::optional<inspect::SessionCounts>{inspect::SessionCounts{0, 1}},
                      std::optional<inspect::SessionCounts>{}));

// Mode Auto and nothing else repairs the seed scenario (issue 16): the defaults allow what returns the host
// to Windows' own state. The firewall stays the administrator's: its finding and the skip give the exact
// command.
TEST_F(Pass, ModeAutoAloneRepairsTheSeedScenarioAndLeavesTheFirewallWithItsCommand) {
  start_with([](inspect::HostState& s) {
    break_windows_host(s);
    s.firewall.rules[1].enabled = false;
    s.sessions = inspect::SessionCounts{};
  });
  auto p = process();
  auto result = p.pass(policy_with({{"Mode", std::string("Auto")}}), privileged());
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(report_for(result.value(), "repair-machinekeys-acl")->outcome, ActionState::kSucceeded);
  EXPECT_EQ(report_for(result.value(), "regenerate-rdp-cert")->outcome, ActionState::kSucceeded);
  const auto* firewall = report_for(result.value(), "restore-firewall-rules");
  ASSERT_TRUE(firewall);
  EXPECT_EQ(firewall->skip, plan::SkipReason::kNotAllowed);
  EXPECT_THAT(firewall->detail, ::testing::HasSubstr("AllowRestoreFirewallRules is off"));
  EXPECT_THAT(firewall->detail,
              ::testing::HasSubstr("by hand: Enable-NetFirewallRule -Name RemoteDesktop-UserMode-In-UDP"));
  std::vector<std::string> left;
  auto after =
      diagnosis::diagnose(result.value().executed.final_state, {}, diagnosis::default_diagnosis_catalog());
  for (const auto& f : after.findings) left.push_back(f.rule->id);
  EXPECT_EQ(left, std::vector<std::string>{std::string(ids::finding::kFirewallRdpRuleDisabled)});
  EXPECT_EQ(after.findings[0].by_hand,
            std::vector<std::string>{"Enable-NetFirewallRule -Name RemoteDesktop-UserMode-In-UDP"});
}

// Schannel's switches leave the listener no current TLS: a finding that says who must act and how, and
// nothing changed (a protocol may be off on purpose; RdpMend never turns one on).
TEST_F(Pass, Tls12TurnedOffForServersIsReportedWithTheCommandsAndNeverChanged) {
  start_with([](inspect::HostState& s) {
    inspect::SchannelState schannel;
    for (const char* name : inspect::kSchannelProtocols)
      schannel.server.push_back({name, std::nullopt, std::nullopt});
    schannel.server[2].enabled = false;
    s.schannel = schannel;
  });
  auto p = process();
  const auto before = snapshot_text(*p.state);
  auto result = p.pass(policy_with({{"Mode", std::string("Auto")}}), privileged());
  ASSERT_TRUE(result) << result.error().message();
  ASSERT_EQ(result.value().diagnosis.findings.size(), 1u);
  const auto& f = result.value().diagnosis.findings[0];
  EXPECT_EQ(f.rule->id, ids::finding::kSchannelNoCurrentTls);
  ASSERT_FALSE(f.by_hand.empty());
  EXPECT_THAT(f.by_hand[1], ::testing::HasSubstr("-Name Enabled -Value 1"));
  EXPECT_TRUE(result.value().plan.actions.empty());
  EXPECT_EQ(snapshot_text(*p.state), before);
}

// A hash pinned to Windows' own expired certificate is still the self-signed default: regenerated, and the
// pin goes with the old certificate (the Windows action deletes the value; the snapshot keeps the flag).
TEST_F(Pass, ACertificatePinnedByHashIsRegeneratedAndThePinCleared) {
  start_with([](inspect::HostState& s) {
    s.certificate.info->expired = true;
    s.certificate.pinned_by_hash = true;
    s.sessions = inspect::SessionCounts{};
  });
  auto p = process();
  auto result = p.pass(policy_with({{"Mode", std::string("Auto")}}), privileged());
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(report_for(result.value(), "regenerate-rdp-cert")->outcome, ActionState::kSucceeded);
  EXPECT_FALSE(p.state->certificate.pinned_by_hash);
  EXPECT_FALSE(p.state->certificate.info->expired);
}

// A newer change that needs the same restart supersedes the hold: one restart is pending per service, and
// the journal keeps which hold took the older one's place.
TEST_F(Pass, ANewerFixSupersedesTheHeldRestart) {
  start_with([](inspect::HostState& s) {
    break_windows_host(s);
    s.sessions = inspect::SessionCounts{1, 0};
  });
  auto p = process();
  p.faults->session_env_makes_no_certificate = true;
  auto policy = policy_with({{"Mode", std::string("Auto")},
                             {"AllowRegenerateRdpCert", true},
                             {"AllowRestartRdpService", true},
                             {"CooldownMinutes", 1}});
  auto first = p.pass(policy, privileged());
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_EQ(first.value().held_restarts.size(), 1u);
  // The certificate is still missing: a pass after the cooldown regenerates again and holds the restart
  // again.
  auto later = privileged();
  later.now += 2min;
  auto second = p.pass(policy, later);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(report_for(second.value(), "regenerate-rdp-cert")->outcome, ActionState::kSucceeded)
      << report_for(second.value(), "regenerate-rdp-cert")->detail;
  ASSERT_EQ(second.value().held_restarts.size(), 1u);
  const auto newer = second.value().held_restarts[0];
  EXPECT_NE(newer.id, first.value().held_restarts[0].id);
  auto all = p.journal->restarts().history({}).value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].state, journal::HoldState::kSuperseded);
  EXPECT_EQ(all[0].superseded_by, newer.id);
  EXPECT_EQ(all[1].state, journal::HoldState::kPending);
}

// A restart held back for a change that did not succeed is not kept: there is nothing to serve.
TEST_F(Pass, NoHoldWhenTheChangeBeforeTheRestartFailed) {
  start_with([](inspect::HostState& s) {
    break_windows_host(s);
    s.sessions = inspect::SessionCounts{1, 0};
  });
  auto p = process();
  auto result = p.pass(restart_allowed(), PassOptions{});  // not privileged: every change is refused
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(report_for(result.value(), "repair-machinekeys-acl")->outcome, ActionState::kPreconditionFailed);
  EXPECT_EQ(report_for(result.value(), "restart-rdp-service")->skip, plan::SkipReason::kActiveSessions);
  EXPECT_TRUE(result.value().held_restarts.empty());
  EXPECT_TRUE(p.journal->restarts().history({}).value().empty());
}

// A certificate the listener is configured to use (an administrator's, or one from a Group Policy template)
// is never replaced by a self-signed one: its finding says who must act and plans nothing.
TEST_F(Pass, AConfiguredCertificateIsLeftAloneWithAFindingThatSaysWhoMustAct) {
  start_with([](inspect::HostState& s) {
    break_windows_host(s);
    s.certificate.source = "configured";
    s.sessions = inspect::SessionCounts{};
  });
  auto p = process();
  const auto before = p.state->certificate.info->sha1;
  auto result = p.pass(restart_allowed(), privileged());
  ASSERT_TRUE(result) << result.error().message();
  std::vector<std::string> ids;
  for (const auto& f : result.value().diagnosis.findings) ids.push_back(f.rule->id);
  EXPECT_THAT(ids, ::testing::Contains(std::string(ids::finding::kRdpConfiguredCertUnusable)));
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains(std::string(ids::finding::kRdpCertExpired))));
  // The MachineKeys finding still plans it; its check refuses it.
  const auto* regen = report_for(result.value(), "regenerate-rdp-cert");
  ASSERT_TRUE(regen);
  EXPECT_EQ(regen->outcome, ActionState::kPreconditionFailed);
  EXPECT_EQ(p.state->certificate.info->sha1, before);
}

TEST_F(Pass, TheBreakerStopsARecurringFixAndRaisesAnAlert) {
  start_with(break_windows_host);
  auto p = process();
  auto policy = regenerate_until_breaker_opens(p);
  auto result = p.pass(policy, privileged());
  ASSERT_TRUE(result);
  const auto* regen = report_for(result.value(), "regenerate-rdp-cert");
  ASSERT_TRUE(regen);
  EXPECT_EQ(regen->skip, plan::SkipReason::kBreakerOpen) << regen->detail;
  bool alert = false;
  auto audit = p.journal->audit().since({}).value();
  for (const auto& a : audit) alert = alert || a.kind == "breaker-open";
  EXPECT_TRUE(alert);
}

TEST_F(Pass, ApproveModeProposesAndApproveRunsThePlanOnce) {
  start_with(break_windows_host);
  auto p = process();
  auto policy = policy_with({{"Mode", std::string("Approve")}, {"AllowRegenerateRdpCert", true}});
  const auto before = snapshot_text(*p.state);
  auto proposed = p.pass(policy, privileged());
  ASSERT_TRUE(proposed);
  ASSERT_TRUE(proposed.value().plan_id);
  EXPECT_EQ(snapshot_text(*p.state), before);
  auto plan_id = *proposed.value().plan_id;
  EXPECT_EQ(p.journal->plans().find(plan_id).value()->state, journal::PlanState::kProposed);
  auto again = p.pass(policy, privileged());  // the same proposal: the same plan, not a second one
  ASSERT_TRUE(again);
  EXPECT_EQ(again.value().plan_id, plan_id);

  auto options = privileged();
  options.approved_plan = plan_id;
  auto approved = p.pass(policy, options);
  ASSERT_TRUE(approved) << approved.error().message();
  EXPECT_EQ(report_for(approved.value(), "repair-machinekeys-acl")->outcome, ActionState::kSucceeded);
  EXPECT_EQ(report_for(approved.value(), "regenerate-rdp-cert")->outcome, ActionState::kSucceeded);
  EXPECT_EQ(p.journal->plans().find(plan_id).value()->state, journal::PlanState::kExecuted);
  auto history = p.journal->actions().history({}).value();
  for (const auto& r : history) EXPECT_EQ(r.plan_id, plan_id);

  auto twice = p.pass(policy, options);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message().find("only a proposed plan"), std::string::npos);
  options.approved_plan = 4242;
  EXPECT_FALSE(p.pass(policy, options));
}

TEST_F(Pass, OnlyRunsTheNamedActions) {
  start_with(break_windows_host);
  auto p = process();
  auto options = privileged();
  options.only = {"repair-machinekeys-acl"};
  auto result = p.pass(auto_policy(), options);
  ASSERT_TRUE(result);
  EXPECT_EQ(report_for(result.value(), "repair-machinekeys-acl")->outcome, ActionState::kSucceeded);
  EXPECT_EQ(report_for(result.value(), "regenerate-rdp-cert")->detail, "not selected (--only)");
  EXPECT_TRUE(p.state->certificate.info->expired);
}

TEST_F(Pass, ACorruptJournalChangesNothing) {
  start_with(break_windows_host);
  { std::ofstream(journal_path_, std::ios::binary | std::ios::trunc) << "this is not a database, just text"; }
  EXPECT_THROW(process(), std::runtime_error);  // the journal refuses to open: no pass can start
}

}  // namespace
}  // namespace rdpmend::execute::test
