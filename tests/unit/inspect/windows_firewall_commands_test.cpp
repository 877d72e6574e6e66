// The commands that let RDP in again on Windows, by the built-in rules' stable names (never the localized
// display group): enable what is off, re-create what is gone with the listener's port.
#include "inspect/windows_firewall_commands.h"

#include <gtest/gtest.h>

namespace rdpmend::inspect {
namespace {

FirewallState rules(bool tcp_present, bool tcp_enabled, bool udp_present, bool udp_enabled) {
  FirewallState fw;
  fw.active = true;
  fw.rules = {{"RemoteDesktop-UserMode-In-TCP", tcp_present, tcp_enabled, "", "3389"},
              {"RemoteDesktop-UserMode-In-UDP", udp_present, udp_enabled, "", "3389"}};
  return fw;
}

TEST(WindowsFirewallCommands, EnablesTheRulesThatAreOff) {
  EXPECT_EQ(windows_firewall_restore_commands(rules(true, false, true, false), 3389),
            std::vector<std::string>{
                "Enable-NetFirewallRule -Name RemoteDesktop-UserMode-In-TCP,RemoteDesktop-UserMode-In-UDP"});
  EXPECT_EQ(windows_firewall_restore_commands(rules(true, true, true, false), 3389),
            std::vector<std::string>{"Enable-NetFirewallRule -Name RemoteDesktop-UserMode-In-UDP"});
}

TEST(WindowsFirewallCommands, RecreatesAGoneRuleOnTheListenersPort) {
  auto commands = windows_firewall_restore_commands(rules(false, false, true, true), 3390);
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(
      commands[0],
      "New-NetFirewallRule -Name RemoteDesktop-UserMode-In-TCP -DisplayName \"Remote Desktop - User Mode "
      "(TCP-In)\" -Group \"@FirewallAPI.dll,-28752\" -Direction Inbound -Protocol TCP -LocalPort 3390 "
      "-Program \"%SystemRoot%\\system32\\svchost.exe\" -Service termservice -Action Allow");
}

TEST(WindowsFirewallCommands, NothingWhenHealthyOffOrNamedOddly) {
  EXPECT_TRUE(windows_firewall_restore_commands(rules(true, true, true, true), 3389).empty());
  auto off = rules(true, false, true, false);
  off.active = false;  // no firewall filters: nothing to let in
  EXPECT_TRUE(windows_firewall_restore_commands(off, 3389).empty());
  FirewallState odd;
  odd.active = true;
  odd.rules = {{"Remote Desktop; Remove-Item C:\\", true, false, "", ""}};
  EXPECT_TRUE(windows_firewall_restore_commands(odd, 3389).empty());
}

}  // namespace
}  // namespace rdpmend::inspect
