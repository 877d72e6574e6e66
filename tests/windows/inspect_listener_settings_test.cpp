// remediation/inspect/windows/listener_settings: the listener's registry values. Wine implements the
// registry, so these run for real under Wine: each test seeds its own key (HKCU\Software\RdpMendTest\...,
// shaped like HKLM\SYSTEM\CurrentControlSet\Control) with RegSetValueExW and reads it back through the
// reader.

#include "inspect/windows/listener_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "inspect_test_support.h"

namespace rdpmend::inspect::windows {
namespace {

using test_support::TestRegistryKey;
using ::testing::HasSubstr;
using ::testing::Not;

class ListenerSettingsTest : public ::testing::Test {
 protected:
  RegistryLocation terminal_server() const { return key_.at(L"Control\\Terminal Server"); }
  RegistryLocation rdp_tcp() const { return terminal_server().child(L"WinStations\\RDP-Tcp"); }
  RegistryLocation policy() const { return key_.at(L"Policies\\Terminal Services"); }

  ListenerSettings read(bool with_policy = false) {
    auto where = listener_registry_for(terminal_server());
    if (with_policy) where.policy = policy();
    return make_listener_settings_reader(where)->read();
  }

  TestRegistryKey key_;
};

TEST_F(ListenerSettingsTest, ReadsSeededValues) {
  TestRegistryKey::set_dword(terminal_server(), L"fDenyTSConnections", 0);
  TestRegistryKey::set_dword(rdp_tcp(), L"UserAuthentication", 1);
  TestRegistryKey::set_dword(rdp_tcp(), L"SecurityLayer", 2);
  TestRegistryKey::set_dword(rdp_tcp(), L"PortNumber", 3390);
  TestRegistryKey::set_dword(rdp_tcp(), L"MinEncryptionLevel", 3);
  TestRegistryKey::set_binary(rdp_tcp(), L"SSLCertificateSHA1Hash", std::vector<std::uint8_t>(20, 0xAB));

  auto s = read();
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.deny_connections, false);
  EXPECT_EQ(s.nla_required, true);
  EXPECT_EQ(s.security_layer, 2u);
  EXPECT_EQ(s.port, 3390);
  EXPECT_EQ(s.min_encryption_level, 3u);
  std::string ab;
  for (int i = 0; i < 20; ++i) ab += "AB";
  EXPECT_EQ(read_configured_certificate_hash(terminal_server()).value(), ab);
}

TEST_F(ListenerSettingsTest, TurnsEnabledSwitchesIntoBooleans) {
  TestRegistryKey::set_dword(terminal_server(), L"fDenyTSConnections", 1);
  TestRegistryKey::set_dword(rdp_tcp(), L"UserAuthentication", 0);
  auto s = read();
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.deny_connections, true);
  EXPECT_EQ(s.nla_required, false);
}

TEST_F(ListenerSettingsTest, MissingValuesStayUnset) {
  TestRegistryKey::create(rdp_tcp());
  auto s = read();
  EXPECT_EQ(s.error, "");
  EXPECT_FALSE(s.deny_connections.has_value());
  EXPECT_FALSE(s.nla_required.has_value());
  EXPECT_FALSE(s.security_layer.has_value());
  EXPECT_FALSE(s.port.has_value());
  EXPECT_FALSE(s.min_encryption_level.has_value());
  EXPECT_FALSE(read_configured_certificate_hash(terminal_server()).value().has_value());
}

TEST_F(ListenerSettingsTest, MissingKeysStayUnsetWithoutAnError) {
  auto s = read(true);  // nothing was created under the test key
  EXPECT_EQ(s.error, "");
  EXPECT_FALSE(s.deny_connections.has_value());
  EXPECT_FALSE(s.port.has_value());
}

TEST_F(ListenerSettingsTest, ReportsAValueOfTheWrongTypeAndKeepsItUnset) {
  TestRegistryKey::set_string(rdp_tcp(), L"PortNumber", L"3389");
  TestRegistryKey::set_binary(terminal_server(), L"fDenyTSConnections", {0, 0, 0, 0});
  TestRegistryKey::set_dword(rdp_tcp(), L"SecurityLayer", 2);
  auto s = read();
  EXPECT_FALSE(s.port.has_value());
  EXPECT_FALSE(s.deny_connections.has_value());
  EXPECT_EQ(s.security_layer, 2u);
  EXPECT_THAT(s.error, HasSubstr("read registry value '" + rdp_tcp().text() +
                                 "\\PortNumber': is REG_SZ, expected REG_DWORD"));
  EXPECT_THAT(s.error, HasSubstr("\\fDenyTSConnections': is REG_BINARY, expected REG_DWORD"));
}

TEST_F(ListenerSettingsTest, ReportsADwordOfTheWrongSize) {
  TestRegistryKey::set(rdp_tcp(), L"UserAuthentication", REG_DWORD, "\x01\x00", 2);
  auto s = read();
  EXPECT_FALSE(s.nla_required.has_value());
  EXPECT_THAT(s.error, HasSubstr("UserAuthentication': REG_DWORD of 2 bytes, expected 4"));
}

TEST_F(ListenerSettingsTest, ReportsAPortNumberOutOfRange) {
  TestRegistryKey::set_dword(rdp_tcp(), L"PortNumber", 70000);
  auto s = read();
  EXPECT_FALSE(s.port.has_value());
  EXPECT_THAT(s.error, HasSubstr("PortNumber is 70000, not a TCP port"));
  TestRegistryKey::set_dword(rdp_tcp(), L"PortNumber", 0);
  EXPECT_THAT(read().error, HasSubstr("PortNumber is 0, not a TCP port"));
}

TEST_F(ListenerSettingsTest, ReportsACertificateHashThatIsNotASha1) {
  TestRegistryKey::set_binary(rdp_tcp(), L"SSLCertificateSHA1Hash", std::vector<std::uint8_t>(19, 1));
  auto s = read();
  EXPECT_THAT(s.error,
              HasSubstr("SSLCertificateSHA1Hash': REG_BINARY of 19 bytes, expected a 20-byte SHA-1"));
  TestRegistryKey::set_string(rdp_tcp(), L"SSLCertificateSHA1Hash", L"ABAB");
  auto hash = read_configured_certificate_hash(terminal_server());
  ASSERT_FALSE(hash.ok());
  EXPECT_THAT(hash.error().message(), HasSubstr("is REG_SZ, expected REG_BINARY"));
}

TEST_F(ListenerSettingsTest, GroupPolicyValuesWin) {
  TestRegistryKey::set_dword(terminal_server(), L"fDenyTSConnections", 0);
  TestRegistryKey::set_dword(rdp_tcp(), L"SecurityLayer", 2);
  TestRegistryKey::set_dword(rdp_tcp(), L"UserAuthentication", 1);
  TestRegistryKey::set_dword(rdp_tcp(), L"PortNumber", 3389);
  TestRegistryKey::set_dword(policy(), L"fDenyTSConnections", 1);
  TestRegistryKey::set_dword(policy(), L"SecurityLayer", 0);
  TestRegistryKey::set_dword(policy(), L"PortNumber", 1234);  // not a policy value: ignored
  auto s = read(true);
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.deny_connections, true);
  EXPECT_EQ(s.security_layer, 0u);
  EXPECT_EQ(s.nla_required, true);
  EXPECT_EQ(s.port, 3389);
}

TEST_F(ListenerSettingsTest, WorksUnderHklmToo) {
  TestRegistryKey machine(HKEY_LOCAL_MACHINE);
  const auto ts = machine.at(L"Control\\Terminal Server");
  TestRegistryKey::set_dword(ts.child(L"WinStations\\RDP-Tcp"), L"PortNumber", 3389);
  auto s = make_listener_settings_reader(listener_registry_for(ts))->read();
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.port, 3389);
}

TEST(ListenerRegistry, DerivesThePolicyKey) {
  auto machine =
      listener_registry_for({HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\Terminal Server"});
  ASSERT_TRUE(machine.policy.has_value());
  EXPECT_EQ(machine.policy->text(), "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services");
  EXPECT_EQ(machine.rdp_tcp().text(),
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp");

  auto test = listener_registry_for({HKEY_CURRENT_USER, L"Software\\T\\Control\\Terminal Server"});
  EXPECT_FALSE(test.policy.has_value()) << "a test key must not read the machine's policy";
}

TEST(RegistryLocation, ParsesHivesAndPaths) {
  auto a = parse_registry_location("HKCU\\Software\\RdpMendTest");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value().hive, HKEY_CURRENT_USER);
  EXPECT_EQ(a.value().path, L"Software\\RdpMendTest");
  auto b = parse_registry_location("SYSTEM\\CurrentControlSet\\Control\\Terminal Server");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().hive, HKEY_LOCAL_MACHINE);
  EXPECT_EQ(b.value().text(), "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server");
  auto c = parse_registry_location("hkey_local_machine\\SOFTWARE\\RdpMendTest\\");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value().hive, HKEY_LOCAL_MACHINE);
  EXPECT_EQ(c.value().path, L"SOFTWARE\\RdpMendTest");
  for (const char* bad : {"", "HKLM", "HKLM\\", "HKCU\\\\Software", "SOFTWARE\\\\X"})
    EXPECT_FALSE(parse_registry_location(bad).ok()) << bad;
}

}  // namespace
}  // namespace rdpmend::inspect::windows
