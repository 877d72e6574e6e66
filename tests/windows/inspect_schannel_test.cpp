// remediation/inspect/windows/schannel: Schannel's server protocol switches, read from a seeded test key
// (HKCU\Software\RdpMendTest\...\Control\SecurityProviders\SCHANNEL\Protocols, beside the test's
// Terminal Server key, as on the machine). Wine implements the registry, so these run for real under Wine.

#include "inspect/windows/schannel.h"

#include <gtest/gtest.h>

#include "inspect_test_support.h"

namespace rdpmend::inspect::windows {
namespace {

using test_support::TestRegistryKey;

class SchannelTest : public ::testing::Test {
 protected:
  RegistryLocation terminal_server() const { return key_.at(L"Control\\Terminal Server"); }
  RegistryLocation server(const wchar_t* protocol) const {
    return key_.at(L"Control\\SecurityProviders\\SCHANNEL\\Protocols").child(protocol).child(L"Server");
  }
  SchannelState read() {
    return make_schannel_inspector(schannel_protocols_for(terminal_server()))->inspect();
  }

  TestRegistryKey key_;
};

TEST_F(SchannelTest, AbsentSwitchesAreTheOsDefaultAndOfferTls12) {
  auto s = read();
  EXPECT_EQ(s.error, "");
  ASSERT_EQ(s.server.size(), 4u);
  EXPECT_EQ(s.server[2].protocol, "TLS 1.2");
  EXPECT_FALSE(s.server[2].enabled.has_value());
  EXPECT_EQ(s.offers_current_tls, true);
  EXPECT_TRUE(s.restore_commands.empty());
}

TEST_F(SchannelTest, Tls12TurnedOffLeavesNoCurrentProtocolAndNamesTheCommands) {
  TestRegistryKey::set_dword(server(L"TLS 1.2"), L"Enabled", 0);
  TestRegistryKey::set_dword(server(L"TLS 1.0"), L"Enabled", 0xffffffff);  // an old one on does not help
  auto s = read();
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.server[2].enabled, false);
  EXPECT_EQ(s.server[0].enabled, true);
  EXPECT_EQ(s.offers_current_tls, false);
  ASSERT_FALSE(s.restore_commands.empty());
  EXPECT_NE(s.restore_commands[1].find("TLS 1.2\\Server' -Name Enabled -Value 1"), std::string::npos);
}

TEST_F(SchannelTest, DisabledByDefaultCountsAsOffAndTls13OnlyWhenEnabled) {
  TestRegistryKey::set_dword(server(L"TLS 1.2"), L"DisabledByDefault", 1);
  EXPECT_EQ(read().offers_current_tls, false);
  TestRegistryKey::set_dword(server(L"TLS 1.3"), L"Enabled", 1);
  auto s = read();
  EXPECT_EQ(s.server[3].enabled, true);
  EXPECT_EQ(s.offers_current_tls, true);
}

TEST_F(SchannelTest, AValueOfTheWrongTypeIsAnErrorAndNoVerdict) {
  TestRegistryKey::set_string(server(L"TLS 1.2"), L"Enabled", L"0");
  auto s = read();
  EXPECT_NE(s.error.find("Enabled"), std::string::npos) << s.error;
  EXPECT_FALSE(s.offers_current_tls.has_value());
}

TEST(SchannelLocation, IsBesideTheTerminalServerKey) {
  EXPECT_EQ(
      schannel_protocols_for({HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\Terminal Server"})
          .text(),
      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols");
}

}  // namespace
}  // namespace rdpmend::inspect::windows
