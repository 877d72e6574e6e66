// The planner on the simulated host: what runs, in which order, and a reason for everything left out.

#include "plan/planner.h"
#include "test_snapshot.h"

#include <gtest/gtest.h>

#include "actions/sim/sim_actions.h"
#include "inspect/host_state_json.h"

namespace rdpmend::plan {
namespace {

using namespace std::chrono_literals;

policy::Policy policy_with(std::map<std::string, policy::RawValue> values) {
  return policy::build_policy({policy::SourceValues{policy::Layer::kLocal, "test", std::move(values)}});
}

struct Fixture {
  std::shared_ptr<inspect::HostState> state;
  actions::ActionSet actions;
  diagnosis::Diagnosis diagnosis;
};

// MachineKeys drift + an expired certificate: repair the ACL, regenerate, restart.
Fixture broken_host() {
  auto s = ::rdpmend::test::load_test_snapshot("windows-healthy.json").value();
  s.machinekeys_acl->matches_default = false;
  s.certificate.info->expired = true;
  s.sessions = inspect::SessionCounts{};  // nobody signed in
  auto state = std::make_shared<inspect::HostState>(s);
  Fixture f{state, actions::make_sim_actions(state), {}};
  f.diagnosis = diagnosis::diagnose(*state, {}, diagnosis::default_diagnosis_catalog());
  return f;
}

const PlannedAction& find(const Plan& p, const std::string& id) {
  for (const auto& a : p.actions)
    if (a.action == id) return a;
  throw std::runtime_error("no " + id);
}

const std::map<std::string, policy::RawValue> kAutoAllowAll = {
    {"Mode", std::string("Auto")},
    {"AllowRepairMachineKeysAcl", true},
    {"AllowRegenerateRdpCert", true},
    {"AllowRestartRdpService", true},
    {"AllowServiceRestartWithActiveSessions", true}};

TEST(Planner, AutoWithEverythingAllowedRunsAllInOrder) {
  auto f = broken_host();
  auto pol = policy_with(kAutoAllowAll);
  auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, std::chrono::system_clock::now(), 0, 0});
  ASSERT_EQ(plan.actions.size(), 3u);
  EXPECT_EQ(plan.actions[0].action, "repair-machinekeys-acl");
  EXPECT_EQ(plan.actions[1].action, "regenerate-rdp-cert");
  EXPECT_EQ(plan.actions[2].action, "restart-rdp-service");
  for (const auto& a : plan.actions) EXPECT_TRUE(a.run) << a.action << ": " << a.reason;
  EXPECT_EQ(find(plan, "regenerate-rdp-cert").findings,
            (std::vector<std::string>{"rdp-cert-expired", "machinekeys-acl-drift"}));
}

TEST(Planner, ObserveChangesNothingAndSaysSo) {
  auto f = broken_host();
  auto pol = policy_with({});  // the default: Observe
  auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, std::chrono::system_clock::now(), 0, 0});
  for (const auto& a : plan.actions) {
    EXPECT_FALSE(a.run);
    EXPECT_EQ(a.skip, SkipReason::kModeObserve) << a.action;
    EXPECT_FALSE(a.reason.empty()) << "the reason is said to people too";
  }
}

TEST(Planner, GivesAReasonForEveryGate) {
  auto f = broken_host();
  auto now = std::chrono::system_clock::now();
  {
    auto m = kAutoAllowAll;
    m["AllowRegenerateRdpCert"] = false;
    auto pol = policy_with(m);
    auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 0, 0});
    EXPECT_EQ(find(plan, "regenerate-rdp-cert").skip, SkipReason::kNotAllowed);
  }
  {
    auto pol = policy_with(kAutoAllowAll);
    PlanHistory h;
    h.last_change = [&](const std::string& a, const std::string&) -> std::optional<TimePoint> {
      if (a == "repair-machinekeys-acl") return now - 5min;
      return std::nullopt;
    };
    auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, h, now, 0, 0});
    EXPECT_EQ(find(plan, "repair-machinekeys-acl").skip, SkipReason::kCooldown);
    EXPECT_TRUE(find(plan, "regenerate-rdp-cert").run);
  }
  {
    auto pol = policy_with(kAutoAllowAll);
    PlanHistory h;
    h.recurrences_after_success = [](const std::string& finding) {
      return finding == "rdp-cert-expired" ? 3 : 0;
    };
    auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, h, now, 0, 0});
    EXPECT_EQ(find(plan, "regenerate-rdp-cert").skip, SkipReason::kBreakerOpen);
    EXPECT_EQ(find(plan, "repair-machinekeys-acl").skip, std::nullopt) << "its finding did not come back";
  }
  {
    auto pol = policy_with(kAutoAllowAll);
    PlanHistory h;
    h.actions_last_hour = 3;  // MaxActionsPerHour defaults to 4
    auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, h, now, 0, 0});
    EXPECT_TRUE(plan.actions[0].run);
    EXPECT_EQ(plan.actions[1].skip, SkipReason::kRateLimit);
  }
  {
    auto m = kAutoAllowAll;
    m["AllowServiceRestartWithActiveSessions"] = false;
    auto pol = policy_with(m);
    f.state->sessions = inspect::SessionCounts{2, 0};
    auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 0, 0});
    EXPECT_EQ(find(plan, "restart-rdp-service").skip, SkipReason::kActiveSessions);
    f.state->sessions = inspect::SessionCounts{0, 1};  // a TermService restart ends a disconnected one too
    auto disconnected = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 0, 0});
    EXPECT_EQ(find(disconnected, "restart-rdp-service").skip, SkipReason::kActiveSessions);
    f.state->sessions.reset();
    auto unknown = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 0, 0});
    EXPECT_EQ(find(unknown, "restart-rdp-service").skip, SkipReason::kActiveSessions);
    f.state->sessions = inspect::SessionCounts{};
    auto none = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 0, 0});
    EXPECT_TRUE(find(none, "restart-rdp-service").run);
  }
  {
    auto m = kAutoAllowAll;
    m["MaintenanceWindow"] = std::string("Sat 02:00-04:00");
    auto pol = policy_with(m);
    ASSERT_TRUE(pol.warnings.empty()) << pol.warnings[0].message();
    auto closed = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 1 /* Monday */, 600});
    EXPECT_EQ(closed.actions[0].skip, SkipReason::kMaintenanceWindow);
    auto open = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 6 /* Saturday */, 150});
    EXPECT_TRUE(open.actions[0].run);
  }
  {
    auto m = kAutoAllowAll;
    m["Mode"] = std::string("Approve");
    auto pol = policy_with(m);
    auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, now, 0, 0});
    EXPECT_EQ(plan.actions[0].skip, SkipReason::kAwaitingApproval);
    EXPECT_TRUE(plan.actions[0].awaits_approval());
    EXPECT_TRUE(plan.actions[0].chosen());
  }
}

TEST(Planner, NoRestartWhenNothingBeforeItRuns) {
  auto f = broken_host();
  auto m = kAutoAllowAll;
  m["AllowRepairMachineKeysAcl"] = false;
  m["AllowRegenerateRdpCert"] = false;
  auto pol = policy_with(m);
  auto plan = make_plan({f.diagnosis, *f.state, f.actions, pol, {}, std::chrono::system_clock::now(), 0, 0});
  EXPECT_FALSE(find(plan, "restart-rdp-service").run);
  EXPECT_EQ(find(plan, "restart-rdp-service").skip, SkipReason::kNothingToRestart);
}

// A restart an earlier pass held back is planned on a healthy host, with something to restart for; the
// guards still apply to it. A journal row naming anything but a restart plans nothing, and a start of the
// service makes the restart needless.
Fixture healthy_host() {
  auto s = ::rdpmend::test::load_test_snapshot("windows-healthy.json").value();
  s.sessions = inspect::SessionCounts{};
  auto state = std::make_shared<inspect::HostState>(s);
  Fixture f{state, actions::make_sim_actions(state), {}};
  f.diagnosis = diagnosis::diagnose(*state, {}, diagnosis::default_diagnosis_catalog());
  return f;
}

TEST(Planner, AnEarlierRestartIsPlannedAgainUnderTheSameGuards) {
  auto f = healthy_host();
  ASSERT_TRUE(f.diagnosis.actions.empty());
  auto pol = policy_with({{"Mode", std::string("Auto")}, {"AllowRestartRdpService", true}});
  PlanHistory history;
  history.earlier_restarts = {{"restart-rdp-service", "TermService", {"rdp-cert-expired"}}};
  auto plan =
      make_plan({f.diagnosis, *f.state, f.actions, pol, history, std::chrono::system_clock::now(), 0, 0});
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_TRUE(plan.actions[0].run) << plan.actions[0].reason;
  EXPECT_TRUE(plan.actions[0].serves_earlier_change);
  EXPECT_EQ(plan.actions[0].findings, std::vector<std::string>{"rdp-cert-expired"});

  f.state->sessions = inspect::SessionCounts{0, 1};
  plan = make_plan({f.diagnosis, *f.state, f.actions, pol, history, std::chrono::system_clock::now(), 0, 0});
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].skip, SkipReason::kActiveSessions);

  auto windowed = policy_with({{"Mode", std::string("Auto")},
                               {"AllowRestartRdpService", true},
                               {"AllowServiceRestartWithActiveSessions", true},
                               {"MaintenanceWindow", std::string("Sun 02:00-04:00")}});
  plan = make_plan(
      {f.diagnosis, *f.state, f.actions, windowed, history, std::chrono::system_clock::now(), 1, 600});
  EXPECT_EQ(plan.actions[0].skip, SkipReason::kMaintenanceWindow);
  plan = make_plan(
      {f.diagnosis, *f.state, f.actions, windowed, history, std::chrono::system_clock::now(), 0, 150});
  EXPECT_TRUE(plan.actions[0].run) << plan.actions[0].reason;
}

TEST(Planner, OnlyARestartComesBackFromTheJournal) {
  auto f = healthy_host();
  auto pol = policy_with({{"Mode", std::string("Auto")}, {"AllowRegenerateRdpCert", true}});
  PlanHistory history;
  history.earlier_restarts = {{"regenerate-rdp-cert", "LocalMachine\\Remote Desktop", {}},
                              {"reticulate-splines", "x", {}}};
  auto plan =
      make_plan({f.diagnosis, *f.state, f.actions, pol, history, std::chrono::system_clock::now(), 0, 0});
  EXPECT_TRUE(plan.actions.empty());
}

TEST(Planner, AStartMakesTheEarlierRestartNeedless) {
  auto f = healthy_host();
  f.state->services[0].state = "stopped";
  f.diagnosis = diagnosis::diagnose(*f.state, {}, diagnosis::default_diagnosis_catalog());
  auto pol = policy_with({{"Mode", std::string("Auto")}, {"AllowRestartRdpService", true}});
  PlanHistory history;
  history.earlier_restarts = {{"restart-rdp-service", "TermService", {}}};
  auto plan =
      make_plan({f.diagnosis, *f.state, f.actions, pol, history, std::chrono::system_clock::now(), 0, 0});
  bool restart = false;
  for (const auto& a : plan.actions) restart = restart || a.action == "restart-rdp-service";
  EXPECT_FALSE(restart);
  EXPECT_TRUE(find(plan, "start-rdp-service").run) << find(plan, "start-rdp-service").reason;
}

}  // namespace
}  // namespace rdpmend::plan
