// The executor on the simulated host: every step recorded, failures rolled back, nothing done twice, and
// rollback from the journal's backup.

#include "execute/executor.h"

#include <gtest/gtest.h>

#include "sim_rig.h"

namespace rdpmend::execute::test {
namespace {

using journal::ActionState;

plan::Plan plan_of(std::vector<std::string> ids, const actions::ActionSet& actions,
                   const inspect::HostState& s) {
  plan::Plan p;
  p.mode = policy::Mode::kAuto;
  for (auto& id : ids) {
    plan::PlannedAction a;
    a.action = id;
    a.target = actions.find(id)->target(s);
    a.findings = {"finding-of-" + id};
    a.run = true;
    p.actions.push_back(a);
  }
  return p;
}

ExecuteResult execute(Process&, const plan::Plan& plan, ExecutorContext ctx,
                      const std::string& trigger = "t1") {
  auto state = ctx.reinspect();
  ExecuteRequest request;
  request.plan = &plan;
  request.state = &state;
  request.trigger = trigger;
  return execute_plan(ctx, request);
}

ActionState state_of(Process& p, std::int64_t row) {
  return p.journal->actions().find(row).value()->state;
}

class Executor : public SimRig {};

TEST_F(Executor, RecordsEveryStepAndSucceeds) {
  start_with(break_windows_host);
  auto p = process();
  auto plan = plan_of({"repair-machinekeys-acl", "regenerate-rdp-cert"}, p.actions, *p.state);
  auto result = execute(p, plan, p.context());
  ASSERT_EQ(result.reports.size(), 2u);
  for (const auto& r : result.reports) {
    EXPECT_EQ(r.outcome, ActionState::kSucceeded) << r.action << ": " << r.detail;
    auto record = p.journal->actions().find(*r.action_row).value();
    ASSERT_TRUE(record);
    EXPECT_EQ(record->state, ActionState::kSucceeded);
    EXPECT_TRUE(record->backup_at && record->applied_at && record->verified_at && record->finished_at);
    EXPECT_FALSE(record->backup.empty());
    EXPECT_NE(record->before_state, record->after_state);
    EXPECT_EQ(record->finding, "finding-of-" + r.action);
  }
  EXPECT_TRUE(*p.state->machinekeys_acl->matches_default);
  EXPECT_FALSE(p.state->certificate.info->expired);
}

TEST_F(Executor, TheSameTriggerTwiceGivesOneAction) {
  start_with(break_windows_host);
  auto p = process();
  auto plan = plan_of({"repair-machinekeys-acl"}, p.actions, *p.state);
  auto first = execute(p, plan, p.context(), "System:4711");
  // The host breaks again; the same trigger (the same event) must not act a second time.
  p.state->machinekeys_acl->matches_default = false;
  auto second = execute(p, plan, p.context(), "System:4711");
  ASSERT_EQ(first.reports[0].outcome, ActionState::kSucceeded);
  EXPECT_TRUE(second.reports[0].duplicate);
  EXPECT_EQ(second.reports[0].action_row, first.reports[0].action_row);
  EXPECT_FALSE(*p.state->machinekeys_acl->matches_default) << "the duplicate changed the host";
  EXPECT_EQ(p.journal->actions().history({}).value().size(), 1u);
  // A new trigger acts.
  auto third = execute(p, plan, p.context(), "System:4712");
  EXPECT_EQ(third.reports[0].outcome, ActionState::kSucceeded);
}

TEST_F(Executor, AVerificationFailureRollsBackToTheExactPriorState) {
  start_with(break_windows_host);
  auto p = process();
  const auto broken = snapshot_text(*p.state);
  p.faults->apply_without_effect = "repair-machinekeys-acl";
  auto plan = plan_of({"repair-machinekeys-acl", "regenerate-rdp-cert"}, p.actions, *p.state);
  auto result = execute(p, plan, p.context());
  EXPECT_EQ(result.reports[0].outcome, ActionState::kRolledBack);
  EXPECT_NE(result.reports[0].detail.find("verification failed"), std::string::npos)
      << result.reports[0].detail;
  EXPECT_EQ(state_of(p, *result.reports[0].action_row), ActionState::kRolledBack);
  // The plan stops: the certificate is not regenerated after a failed step.
  EXPECT_EQ(result.reports[1].outcome, ActionState::kSkipped);
  EXPECT_FALSE(result.reports[1].action_row);
  EXPECT_EQ(result.reports[1].skip, plan::SkipReason::kEarlierFailed);
  EXPECT_EQ(snapshot_text(*p.state), broken);
}

TEST_F(Executor, AFailedApplyIsRolledBack) {
  start_with(break_windows_host);
  auto p = process();
  p.faults->fail_apply = "regenerate-rdp-cert";
  auto plan = plan_of({"regenerate-rdp-cert"}, p.actions, *p.state);
  auto result = execute(p, plan, p.context());
  EXPECT_EQ(result.reports[0].outcome, ActionState::kRolledBack);
  EXPECT_NE(result.reports[0].detail.find("injected apply failure"), std::string::npos);
  EXPECT_TRUE(p.state->certificate.info->expired);
}

TEST_F(Executor, AnIrreversibleActionThatFailsVerificationIsFailed) {
  start_with([](inspect::HostState& s) { s.services[0].state = "stopped"; });
  auto p = process();
  p.faults->apply_without_effect = "start-rdp-service";
  auto plan = plan_of({"start-rdp-service"}, p.actions, *p.state);
  auto result = execute(p, plan, p.context());
  EXPECT_EQ(result.reports[0].outcome, ActionState::kFailed);
  EXPECT_NE(result.reports[0].detail.find("not reversible"), std::string::npos);
  EXPECT_EQ(state_of(p, *result.reports[0].action_row), ActionState::kFailed);
}

TEST_F(Executor, WithoutPrivilegeNothingChangesAndTheJournalSaysWhy) {
  start_with(break_windows_host);
  auto p = process();
  const auto broken = snapshot_text(*p.state);
  auto plan = plan_of({"repair-machinekeys-acl"}, p.actions, *p.state);
  auto result = execute(p, plan, p.context(/*privileged=*/false));
  EXPECT_EQ(result.reports[0].outcome, ActionState::kPreconditionFailed);
  auto record = p.journal->actions().find(*result.reports[0].action_row).value();
  EXPECT_EQ(record->state, ActionState::kPreconditionFailed);
  EXPECT_NE(record->reason.find("root"), std::string::npos);
  EXPECT_EQ(snapshot_text(*p.state), broken);
}

TEST_F(Executor, AFailedPreconditionChangesNothing) {
  start_with([](inspect::HostState& s) {
    s.certificate.info->expired = true;
    s.certificate.info->self_signed = false;  // CA-issued: never replaced
  });
  auto p = process();
  const auto before = snapshot_text(*p.state);
  auto plan = plan_of({"regenerate-rdp-cert"}, p.actions, *p.state);
  auto result = execute(p, plan, p.context());
  EXPECT_EQ(result.reports[0].outcome, ActionState::kPreconditionFailed);
  EXPECT_NE(result.reports[0].detail.find("CA-issued"), std::string::npos);
  EXPECT_FALSE(p.journal->actions().find(*result.reports[0].action_row).value()->backup_at);
  EXPECT_EQ(snapshot_text(*p.state), before);
}

TEST_F(Executor, ADryRunChecksAndBacksUpButChangesAndRecordsNothing) {
  start_with(break_windows_host);
  auto p = process();
  const auto broken = snapshot_text(*p.state);
  auto plan = plan_of({"repair-machinekeys-acl", "regenerate-rdp-cert"}, p.actions, *p.state);
  auto ctx = p.context();
  ctx.dry_run = true;
  auto result = execute(p, plan, ctx);
  for (const auto& r : result.reports) {
    EXPECT_EQ(r.outcome, ActionState::kWouldApply) << r.action << ": " << r.detail;
    EXPECT_FALSE(r.action_row);
  }
  EXPECT_EQ(snapshot_text(*p.state), broken);
  EXPECT_TRUE(p.journal->actions().history({}).value().empty());
  // Unprivileged, the dry run says so for every action.
  ctx.privileged = false;
  for (const auto& r : execute(p, plan, ctx).reports) EXPECT_EQ(r.outcome, ActionState::kPreconditionFailed);
}

TEST_F(Executor, RollbackRestoresTheBackupOnceAndRefusesWhatCannotBeUndone) {
  start_with([](inspect::HostState& s) {
    break_windows_host(s);
    s.services[0].state = "running";
  });
  auto p = process();
  p.faults->session_env_makes_no_certificate = true;  // so that the restart is needed
  const auto broken = snapshot_text(*p.state);
  auto plan =
      plan_of({"repair-machinekeys-acl", "regenerate-rdp-cert", "restart-rdp-service"}, p.actions, *p.state);
  auto result = execute(p, plan, p.context());
  for (const auto& r : result.reports)
    ASSERT_EQ(r.outcome, ActionState::kSucceeded) << r.action << ": " << r.detail;
  auto unprivileged = p.context(false);
  EXPECT_FALSE(rollback_action(unprivileged, *result.reports[1].action_row));
  auto ctx = p.context();
  ASSERT_TRUE(rollback_action(ctx, *result.reports[1].action_row));
  ASSERT_TRUE(rollback_action(ctx, *result.reports[0].action_row));
  EXPECT_EQ(snapshot_text(*p.state), broken);
  EXPECT_EQ(state_of(p, *result.reports[0].action_row), ActionState::kRolledBack);
  EXPECT_FALSE(p.journal->audit().since({}).value().empty()) << "a rollback's intent is recorded first";

  auto again = rollback_action(ctx, *result.reports[0].action_row);
  ASSERT_TRUE(again);
  EXPECT_NE(again.value().detail.find("already rolled back"), std::string::npos);
  EXPECT_EQ(snapshot_text(*p.state), broken);

  auto restart = rollback_action(ctx, *result.reports[2].action_row);
  ASSERT_FALSE(restart);
  EXPECT_NE(restart.error().message().find("cannot be undone"), std::string::npos);
  EXPECT_FALSE(rollback_action(ctx, 999));
}

}  // namespace
}  // namespace rdpmend::execute::test
