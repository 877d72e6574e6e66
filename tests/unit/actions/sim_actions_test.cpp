// Every sim action applied, verified by a fresh inspection (the finding is gone), and rolled back to the
// exact prior state; the refusals a real host makes (links, CA-issued certificates) hold here too.

#include "actions/sim/sim_actions.h"
#include "test_snapshot.h"

#include <gtest/gtest.h>

#include <functional>

#include "diagnosis/diagnosis.h"
#include "inspect/host_state_json.h"
#include "inspect/sim/sim_host.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;

HostState healthy() {
  return ::rdpmend::test::healthy_windows_host();
}

std::string json_of(const HostState& s) {
  return inspect::host_state_to_json(s).dump();
}

std::vector<std::string> finding_ids(const HostState& s) {
  std::vector<std::string> out;
  for (const auto& f : diagnosis::diagnose(s, {}, diagnosis::default_diagnosis_catalog()).findings)
    out.push_back(f.rule->id);
  return out;
}

struct Case {
  const char* action;
  std::function<void(HostState&)> fault;
};

class SimActionLoop : public ::testing::TestWithParam<Case> {};

TEST_P(SimActionLoop, AppliesVerifiesAndRollsBackExactly) {
  auto state = std::make_shared<HostState>(healthy());
  GetParam().fault(*state);
  const std::string broken = json_of(*state);
  ASSERT_FALSE(finding_ids(*state).empty());
  auto host = inspect::make_sim_host(state);
  auto actions = make_sim_actions(state);
  Action* action = actions.find(GetParam().action);
  ASSERT_NE(action, nullptr);

  auto before = inspect::inspect_host(*host, std::chrono::system_clock::now(), 14);
  ASSERT_TRUE(action->check(before)) << action->check(before).error().message();
  auto backup = action->backup(before);
  ASSERT_TRUE(backup);
  ASSERT_TRUE(action->apply(before, backup.value()));
  auto after = inspect::inspect_host(*host, std::chrono::system_clock::now(), 14);
  auto verified = action->verify(after);
  EXPECT_TRUE(verified) << verified.error().message();
  EXPECT_TRUE(finding_ids(after).empty()) << "a finding is left after " << GetParam().action;

  // Applying again changes nothing.
  const std::string fixed = json_of(*state);
  ASSERT_TRUE(action->apply(after, backup.value()));
  EXPECT_EQ(json_of(*state), fixed);

  if (action->reversible()) {
    ASSERT_TRUE(action->rollback(backup.value()));
    EXPECT_EQ(json_of(*state), broken);
    ASSERT_TRUE(action->rollback(backup.value()));  // twice: the same state
    EXPECT_EQ(json_of(*state), broken);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Sim, SimActionLoop,
    ::testing::Values(
        Case{"repair-machinekeys-acl",
             [](HostState& s) {
               s.machinekeys_acl->matches_default = false;
               s.machinekeys_acl->file.sddl = "O:SYG:SYD:PAI(A;;FA;;;WD)";
             }},
        Case{"repair-rdp-key-acl", [](HostState& s) { s.certificate.key.readable_by_service = false; }},
        Case{"regenerate-rdp-cert", [](HostState& s) { s.certificate.info->expired = true; }},
        Case{"restore-firewall-rules", [](HostState& s) { s.firewall.rules[0].present = false; }},
        Case{"start-rdp-service", [](HostState& s) { s.services[0].state = "stopped"; }}),
    [](const ::testing::TestParamInfo<Case>& p) {
      std::string name = p.param.action;
      for (auto& c : name)
        if (c == '-') c = '_';
      return name;
    });

TEST(SimActions, RefusesAJunctionAtMachineKeys) {
  auto state = std::make_shared<HostState>(healthy());
  state->machinekeys_acl->file.is_link = true;
  auto actions = make_sim_actions(state);
  auto r = actions.find("repair-machinekeys-acl")->check(*state);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("reparse point"), std::string::npos);
}

TEST(SimActions, NeverReplacesACaIssuedCertificate) {
  auto state = std::make_shared<HostState>(healthy());
  state->certificate.info->self_signed = false;
  state->certificate.info->expired = true;
  auto actions = make_sim_actions(state);
  EXPECT_FALSE(actions.find("regenerate-rdp-cert")->check(*state));
}

TEST(SimActions, AnApplyWithoutEffectFailsVerification) {
  auto state = std::make_shared<HostState>(healthy());
  state->certificate.info->expired = true;
  auto faults = std::make_shared<SimFaults>();
  faults->apply_without_effect = "regenerate-rdp-cert";
  auto actions = make_sim_actions(state, faults);
  auto* a = actions.find("regenerate-rdp-cert");
  auto b = a->backup(*state);
  ASSERT_TRUE(a->apply(*state, b.value()));
  EXPECT_FALSE(a->verify(*state));
}

TEST(SimActions, OffersEveryActionOfTheDiagnosisCatalog) {
  auto state = std::make_shared<HostState>(healthy());
  auto actions = make_sim_actions(state);
  for (const auto& a : diagnosis::default_diagnosis_catalog().actions)
    EXPECT_NE(actions.find(a.id), nullptr) << a.id;
}

}  // namespace
}  // namespace rdpmend::actions
