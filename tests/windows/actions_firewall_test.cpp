// remediation/actions/windows: restore-firewall-rules. Wine only stubs the firewall COM API (get__NewEnum
// returns E_NOTIMPL, Rules->Add is a no-op; reference/windows-build-notes.md 3g), so:
// - what to change is decided by plain code (firewall_plan.h), tested here everywhere, Wine included;
// - under Wine the action must turn the stub into a clear error before changing anything (checked for real);
// - the real restore and rollback of the Remote Desktop rules are SKIPPED under Wine; verified on real
// Windows:
//   pending.

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "actions/windows/firewall_plan.h"
#include "actions/windows/windows_actions.h"
#include "actions_test_support.h"
#include "inspect/windows/firewall.h"
#include "platform/windows/win_text.h"
#include "wine_detect.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using windows::FirewallRuleSnapshot;
using windows::FirewallStep;

constexpr const char* kFirewallStubbed = "Wine stubs the Windows Firewall COM API (E_NOTIMPL)";
constexpr const wchar_t* kGroup = L"@FirewallAPI.dll,-28752";

FirewallRuleSnapshot builtin(long protocol, bool enabled, const wchar_t* ports = L"3389") {
  return {protocol == 6 ? L"Remote Desktop - User Mode (TCP-In)" : L"Remote Desktop - User Mode (UDP-In)",
          kGroup,
          L"termservice",
          ports,
          protocol,
          true,
          enabled};
}

std::string describe(const FirewallStep& s) {
  switch (s.kind) {
    case FirewallStep::Kind::kEnable:
      return "enable #" + std::to_string(s.index);
    case FirewallStep::Kind::kDisable:
      return "disable #" + std::to_string(s.index);
    case FirewallStep::Kind::kCreate:
      return "create " + win::narrow(s.name) + " " + std::to_string(s.protocol) + " " +
             win::narrow(s.local_ports);
    case FirewallStep::Kind::kRemove:
      return "remove " + win::narrow(s.name);
  }
  return "?";
}

std::vector<std::string> describe(const std::vector<FirewallStep>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(describe(s));
  return out;
}

TEST(FirewallPlan, RecognizesTheRemoteDesktopRules) {
  EXPECT_EQ(windows::remote_desktop_rule_of(builtin(6, true)), "RemoteDesktop-UserMode-In-TCP");
  EXPECT_EQ(windows::remote_desktop_rule_of(builtin(17, true)), "RemoteDesktop-UserMode-In-UDP");
  FirewallRuleSnapshot named{L"RemoteDesktop-UserMode-In-TCP-3390", L"", L"", L"3390", 6, true, true};
  EXPECT_EQ(windows::remote_desktop_rule_of(named), "RemoteDesktop-UserMode-In-TCP");
  FirewallRuleSnapshot outbound = builtin(6, true);
  outbound.inbound = false;
  EXPECT_FALSE(windows::remote_desktop_rule_of(outbound));
  FirewallRuleSnapshot shadow{L"Remote Desktop - Shadow (TCP-In)", kGroup, L"", L"", 6, true, true};
  EXPECT_FALSE(windows::remote_desktop_rule_of(shadow));
  FirewallRuleSnapshot lookalike{L"RemoteDesktop-UserMode-In-TCP-x", L"", L"", L"", 6, true, true};
  EXPECT_FALSE(windows::remote_desktop_rule_of(lookalike));
}

TEST(FirewallPlan, SwitchesOnTheRulesThatAreOff) {
  EXPECT_THAT(describe(windows::plan_firewall_restore({builtin(6, false), builtin(17, true)}, 3389)),
              ElementsAre("enable #0"));
  EXPECT_THAT(describe(windows::plan_firewall_restore({builtin(6, true), builtin(17, true)}, 3389)),
              IsEmpty());
}

TEST(FirewallPlan, CreatesAMissingRuleForTheListenerPort) {
  EXPECT_THAT(describe(windows::plan_firewall_restore({builtin(17, false)}, 3389)),
              ElementsAre("create RemoteDesktop-UserMode-In-TCP 6 3389", "enable #0"));
  EXPECT_THAT(describe(windows::plan_firewall_restore({}, 3390)),
              ElementsAre("create RemoteDesktop-UserMode-In-TCP 6 3390",
                          "create RemoteDesktop-UserMode-In-UDP 17 3390"));
}

TEST(FirewallPlan, AddsARuleWhenThePortWasChangedWithoutEditingTheBuiltInOne) {
  EXPECT_THAT(describe(windows::plan_firewall_restore({builtin(6, true), builtin(17, true)}, 3390)),
              ElementsAre("create RemoteDesktop-UserMode-In-TCP-3390 6 3390",
                          "create RemoteDesktop-UserMode-In-UDP-3390 17 3390"));
  EXPECT_THAT(describe(windows::plan_firewall_restore(
                  {builtin(6, true, L"3000-4000"), builtin(17, true, L"*")}, 3390)),
              IsEmpty());
}

TEST(FirewallPlan, RollsBackToTheSavedStateAndRemovesOnlyItsOwnRules) {
  const std::vector<FirewallRuleSnapshot> saved{builtin(6, false), builtin(17, true)};
  std::vector<FirewallRuleSnapshot> now{
      builtin(6, true),
      builtin(17, true),
      {L"RemoteDesktop-UserMode-In-TCP-3390", kGroup, L"termservice", L"3390", 6, true, true}};
  EXPECT_THAT(describe(windows::plan_firewall_rollback(saved, now)),
              ElementsAre("disable #0", "remove RemoteDesktop-UserMode-In-TCP-3390"));
  // An administrator's own Remote Desktop rule the backup does not list is not RdpMend's to remove.
  now.push_back({L"Corp RDP", kGroup, L"termservice", L"3389", 6, true, true});
  EXPECT_THAT(describe(windows::plan_firewall_rollback(saved, now)),
              ElementsAre("disable #0", "remove RemoteDesktop-UserMode-In-TCP-3390"));
  EXPECT_THAT(describe(windows::plan_firewall_rollback(saved, saved)), IsEmpty());
}

TEST(FirewallPlan, BackupJsonRoundTripsAndRefusesForeignRules) {
  std::vector<FirewallRuleSnapshot> rules{
      builtin(6, false), builtin(17, true), {L"File and Printer Sharing", L"", L"", L"445", 6, true, true}};
  auto json = windows::firewall_rules_to_json(rules);
  ASSERT_EQ(json.size(), 2u) << "only the Remote Desktop rules are saved";
  auto back = windows::firewall_rules_from_json(json);
  ASSERT_TRUE(back.ok()) << back.error().message();
  ASSERT_EQ(back.value().size(), 2u);
  EXPECT_EQ(back.value()[0].name, rules[0].name);
  EXPECT_FALSE(back.value()[0].enabled);
  EXPECT_TRUE(back.value()[1].enabled);

  auto foreign = json;
  foreign[0]["name"] = "File and Printer Sharing";
  foreign[0]["grouping"] = "";
  EXPECT_THAT(windows::firewall_rules_from_json(foreign).error().detail,
              HasSubstr("not a Remote Desktop rule"));
  auto damaged = json;
  damaged[0].erase("enabled");
  EXPECT_THAT(windows::firewall_rules_from_json(damaged).error().detail, HasSubstr("the backup is damaged"));
  EXPECT_FALSE(windows::firewall_rules_from_json(nlohmann::json::object()).ok());
}

TEST(FirewallAction, UnderWineReportsTheStubBeforeChangingAnything) {
  if (!test_support::running_under_wine())
    GTEST_SKIP() << "SKIPPED: checks Wine's stub; Windows has the real API";
  auto config = test_support::isolated_config();
  config.is_administrator = [] { return Result<bool>(true); };
  auto a = make_firewall_action(config);
  HostState state;
  auto checked = a->check(state);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().what, ids::action::kRestoreFirewallRules);
  EXPECT_THAT(checked.error().detail, HasSubstr("INetFwRules::get__NewEnum"));
  EXPECT_THAT(checked.error().detail, HasSubstr("[0x80004001]"));  // E_NOTIMPL
  EXPECT_FALSE(a->backup(state).ok());
  EXPECT_FALSE(a->apply(state, Backup{}).ok());
  EXPECT_FALSE(a->rollback(Backup{{{"rules", nlohmann::json::array()}}}).ok());
}

TEST(FirewallAction, RefusesPortZeroAndADamagedBackup) {
  auto config = test_support::isolated_config();
  config.is_administrator = [] { return Result<bool>(true); };
  auto a = make_firewall_action(config);
  HostState state;
  state.listener.port = 0;
  EXPECT_THAT(a->check(state).error().detail, HasSubstr("the listener port is 0"));
  EXPECT_THAT(a->rollback(Backup{{{"port", 3389}}}).error().detail, HasSubstr("the backup is damaged"));
}

TEST(FirewallAction, VerifyNeedsBothRulesOnAndThePortOpen) {
  auto a = make_firewall_action(test_support::isolated_config());
  HostState s;
  s.firewall.error = "read the firewall rules: E_NOTIMPL";
  EXPECT_THAT(a->verify(s).error().detail, HasSubstr("E_NOTIMPL"));
  s.firewall.error.clear();
  s.firewall.rules = {{"RemoteDesktop-UserMode-In-TCP", true, true, "all", "3389"},
                      {"RemoteDesktop-UserMode-In-UDP", true, false, "all", "3389"}};
  auto off = a->verify(s);
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().object, "RemoteDesktop-UserMode-In-UDP");
  EXPECT_EQ(off.error().detail, "the rule is still off");
  s.firewall.rules[1].enabled = true;
  s.firewall.blocks_rdp_port = true;
  s.firewall.detail = "rule 'Block RDP' blocks TCP 3389 in the public profile";
  EXPECT_THAT(a->verify(s).error().detail, HasSubstr("Block RDP"));
  s.firewall.blocks_rdp_port = false;
  EXPECT_TRUE(a->verify(s).ok());
}

TEST(FirewallAction, RestoresAndRollsBackTheRealRules) {
  RDPMEND_SKIP_UNDER_WINE(kFirewallStubbed);
  RDPMEND_REQUIRE_ELEVATION();
  auto config = test_support::isolated_config();
  auto a = make_firewall_action(config);
  HostState state;
  state.listener.port = 3389;
  ASSERT_TRUE(a->check(state).ok()) << a->check(state).error().message();
  auto backup = a->backup(state);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  ASSERT_TRUE(a->apply(state, backup.value()).ok());
  inspect::ListenerSettings listener;
  listener.port = 3389;
  HostState after;
  after.firewall = inspect::windows::make_firewall_inspector()->inspect(listener);
  for (const auto& r : after.firewall.rules) {
    EXPECT_TRUE(r.present) << r.name;
    EXPECT_EQ(r.enabled, true) << r.name;
  }
  ASSERT_TRUE(a->rollback(backup.value()).ok());
  auto again = a->backup(state);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().data["rules"], backup.value().data["rules"]) << "the rules are back as they were";
}

}  // namespace
}  // namespace rdpmend::actions
