// remediation/inspect/windows/firewall: INetFwPolicy2. Wine only stubs the firewall COM API (get__NewEnum,
// get_CurrentProfileTypes, get_FirewallEnabled return E_NOTIMPL; reference/windows-build-notes.md 3g), so:
// - under Wine the adapter must turn the stub into an error and report nothing as missing (checked for real);
// - reading the real Remote Desktop rules is checked on Windows only: under Wine those tests say SKIPPED;
// - the port-list and profile helpers are plain code and run everywhere.

#include "inspect/windows/firewall.h"

#include <windows.h>

#include <netfw.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wine_detect.h"

namespace rdpmend::inspect::windows {
namespace {

using ::testing::HasSubstr;

constexpr const char* kFirewallStubbed = "Wine stubs the Windows Firewall COM API (E_NOTIMPL)";

FirewallState inspect_port(std::uint16_t port) {
  ListenerSettings listener;
  listener.port = port;
  return make_firewall_inspector()->inspect(listener);
}

TEST(WindowsFirewall, UnderWineTurnsTheStubIntoAnErrorAndReportsNothingMissing) {
  if (!test_support::running_under_wine())
    GTEST_SKIP() << "SKIPPED: checks Wine's stub; Windows has the real API";
  auto fw = inspect_port(3389);
  EXPECT_THAT(fw.error, HasSubstr("INetFwPolicy2::get_CurrentProfileTypes"));
  EXPECT_THAT(fw.error, HasSubstr("INetFwRules::get__NewEnum"));
  EXPECT_THAT(fw.error, HasSubstr("[0x80004001]"));  // E_NOTIMPL
  EXPECT_TRUE(fw.rules.empty()) << "unknown rules must not be reported as missing";
  EXPECT_FALSE(fw.active.has_value());
  EXPECT_FALSE(fw.blocks_rdp_port.has_value());
}

TEST(WindowsFirewall, WorksOnAThreadThatIsAlreadyInASingleThreadedApartment) {
  HRESULT hr = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
  auto fw = inspect_port(3389);
  if (SUCCEEDED(hr)) CoUninitialize();
  EXPECT_THAT(fw.error, ::testing::Not(HasSubstr("initialize COM")));
  if (test_support::running_under_wine()) {
    EXPECT_FALSE(fw.error.empty());
  }
}

TEST(WindowsFirewall, ReadsTheRemoteDesktopRules) {
  RDPMEND_SKIP_UNDER_WINE(kFirewallStubbed);
  auto fw = inspect_port(3389);
  EXPECT_EQ(fw.error, "");
  ASSERT_EQ(fw.rules.size(), 2u);
  EXPECT_EQ(fw.rules[0].name, kRdpRuleTcp);
  EXPECT_EQ(fw.rules[1].name, kRdpRuleUdp);
  ASSERT_TRUE(fw.active.has_value());
  EXPECT_EQ(fw.blocks_rdp_port.has_value(), true);
  for (const auto& r : fw.rules) {
    // Every Windows ships both rules (enabled only when Remote Desktop is on).
    EXPECT_TRUE(r.present) << r.name;
    EXPECT_TRUE(r.enabled.has_value()) << r.name;
    EXPECT_THAT(r.local_ports, HasSubstr("3389")) << r.name;
  }
}

TEST(WindowsFirewall, SaysWhenTheRulesDoNotCoverTheListenerPort) {
  RDPMEND_SKIP_UNDER_WINE(kFirewallStubbed);
  auto fw = inspect_port(3390);
  ASSERT_EQ(fw.rules.size(), 2u);
  if (fw.rules[0].enabled == true) {
    EXPECT_THAT(fw.detail,
                HasSubstr("RemoteDesktop-UserMode-In-TCP allows local port 3389, the listener uses 3390"));
  }
}

TEST(FirewallPorts, MatchesSinglePortsListsRangesAndAny) {
  EXPECT_TRUE(local_ports_include(L"3389", 3389));
  EXPECT_FALSE(local_ports_include(L"3390", 3389));
  EXPECT_TRUE(local_ports_include(L"80,3389", 3389));
  EXPECT_TRUE(local_ports_include(L" 80 , 3389 ", 3389));
  EXPECT_TRUE(local_ports_include(L"3000-4000", 3389));
  EXPECT_FALSE(local_ports_include(L"3000-3388,3390-4000", 3389));
  EXPECT_TRUE(local_ports_include(L"*", 3389));
  EXPECT_TRUE(local_ports_include(L"", 3389));
  EXPECT_FALSE(local_ports_include(L"RPC", 3389));
  EXPECT_FALSE(local_ports_include(L"RPC-EPMap,IPHTTPS", 3389));
  EXPECT_FALSE(local_ports_include(L"99999", 3389));
  EXPECT_FALSE(local_ports_include(L"3389-", 3389));
  EXPECT_TRUE(local_ports_include(L"1-65535", 65535));
}

TEST(FirewallPorts, NamesProfiles) {
  EXPECT_EQ(profile_names(NET_FW_PROFILE2_ALL), "all");
  EXPECT_EQ(profile_names(NET_FW_PROFILE2_DOMAIN | NET_FW_PROFILE2_PUBLIC), "domain,public");
  EXPECT_EQ(profile_names(NET_FW_PROFILE2_DOMAIN | NET_FW_PROFILE2_PRIVATE | NET_FW_PROFILE2_PUBLIC),
            "domain,private,public");
  EXPECT_EQ(profile_names(0), "");
}

}  // namespace
}  // namespace rdpmend::inspect::windows
