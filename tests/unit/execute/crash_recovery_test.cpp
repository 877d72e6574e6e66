// A crash injected after each executor step (the test hook aborts the process: a gtest death test runs the
// pass in a child), then a new "process" that recovers before anything else: every action ends verified and
// succeeded, or rolled back to the exact prior state, and none is done twice.

#include <gtest/gtest.h>

#include "sim_rig.h"

namespace rdpmend::execute::test {
namespace {

using journal::ActionState;

struct CrashCase {
  Step step;
  const char* action;
  // After recovery: which outcome the crashed action has.
  ActionState recovered;
  bool session_env_makes_no_certificate = false;
};

class CrashRecovery : public SimRig, public ::testing::WithParamInterface<CrashCase> {
 protected:
  // The first "process": a pass in Auto mode that the hook aborts after the step.
  void run_until_crash(const CrashCase& c) {
    auto p = process();
    // For the restart's steps SessionEnv makes no certificate, so that the restart is needed and runs.
    p.faults->session_env_makes_no_certificate = c.session_env_makes_no_certificate;
    PassOptions options;
    options.privileged = true;
    options.crash_at = CrashPoint{c.step, c.action};
    (void)p.pass(auto_policy(), options);
  }
};

TEST_P(CrashRecovery, TheNextStartFinishesOrRollsBack) {
  start_with(break_windows_host);
  const auto param = GetParam();

  EXPECT_DEATH(run_until_crash(param), "");

  auto p = process();
  p.faults->session_env_makes_no_certificate = param.session_env_makes_no_certificate;
  auto in_flight = p.journal->actions().in_flight().value();
  ASSERT_EQ(in_flight.size(), 1u) << "the crash left exactly the one action in flight";
  EXPECT_EQ(in_flight[0].action, param.action);
  const auto crashed_row = in_flight[0].id;

  // The next start: recovery first, then the pass goes on with whatever is still broken.
  PassOptions options;
  options.privileged = true;
  auto pass = p.pass(auto_policy(), options);
  ASSERT_TRUE(pass) << pass.error().message();
  ASSERT_EQ(pass.value().recovered.size(), 1u);
  EXPECT_EQ(pass.value().recovered[0].action_row, crashed_row);
  EXPECT_EQ(p.journal->actions().find(crashed_row).value()->state, param.recovered)
      << pass.value().recovered[0].detail;
  EXPECT_TRUE(p.journal->actions().in_flight().value().empty());

  // Whatever happened, the host ends repaired, and no action succeeded twice on one target.
  EXPECT_TRUE(*p.state->machinekeys_acl->matches_default);
  ASSERT_TRUE(p.state->certificate.info);
  EXPECT_FALSE(p.state->certificate.info->expired);
  std::map<std::string, int> successes;
  auto history = p.journal->actions().history({}).value();
  for (const auto& r : history)
    if (r.state == ActionState::kSucceeded) ++successes[r.action];
  for (const auto& [action, n] : successes) EXPECT_EQ(n, 1) << action << " succeeded " << n << " times";
}

INSTANTIATE_TEST_SUITE_P(
    EachStep, CrashRecovery,
    ::testing::Values(
        // Nothing was changed yet: the action is closed as failed and the next plan does it.
        CrashCase{Step::kAfterIntent, "repair-machinekeys-acl", ActionState::kFailed},
        // Backed up, not applied: verification fails, the backup is put back (a no-op), rolled back.
        CrashCase{Step::kAfterBackup, "repair-machinekeys-acl", ActionState::kRolledBack},
        // Applied but not recorded: the change verifies, so it is finished as succeeded.
        CrashCase{Step::kAfterApply, "regenerate-rdp-cert", ActionState::kSucceeded},
        // Verified and recorded, outcome not written: succeeded.
        CrashCase{Step::kAfterVerify, "regenerate-rdp-cert", ActionState::kSucceeded},
        CrashCase{Step::kAfterApply, "restart-rdp-service", ActionState::kSucceeded, true},
        // The certificate removed, SessionEnv made none, the restart not run yet: the recovered change
        // brings its restart with it (the regeneration itself is in its cooldown).
        CrashCase{Step::kAfterApply, "regenerate-rdp-cert", ActionState::kSucceeded, true},
        CrashCase{Step::kAfterVerify, "regenerate-rdp-cert", ActionState::kSucceeded, true}),
    [](const ::testing::TestParamInfo<CrashCase>& p) {
      std::string name = std::string(to_string(p.param.step)) + "_" + p.param.action +
                         (p.param.session_env_makes_no_certificate ? "_no_session_env_certificate" : "");
      for (auto& c : name)
        if (c == '-') c = '_';
      return name;
    });

TEST_F(SimRig, RecoveryRefusesAnActionThisHostDoesNotOffer) {
  start_with(break_windows_host);
  auto p = process();
  auto row = p.journal->actions()
                 .record_intent({std::nullopt, "reticulate-splines", "x", "", "k1"})
                 .value()
                 .action_row;
  ASSERT_TRUE(p.journal->actions().record_backup(row, "{}", "{}"));
  auto ctx = p.context();
  auto recovered = recover_in_flight(ctx);
  ASSERT_FALSE(recovered);
  EXPECT_NE(recovered.error().message().find("does not offer"), std::string::npos);
  // And so the pass changes nothing.
  const auto before = snapshot_text(*p.state);
  PassOptions options;
  options.privileged = true;
  EXPECT_FALSE(p.pass(auto_policy(), options));
  EXPECT_EQ(snapshot_text(*p.state), before);
}

}  // namespace
}  // namespace rdpmend::execute::test
