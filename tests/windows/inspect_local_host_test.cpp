// remediation/inspect/windows/local_host: make_local_host assembles this machine's inspectors, and the
// portable walk (inspect_host) runs them. Runs under Wine: the listener settings come from a test key, the
// services from Wine's SCM; the firewall reports Wine's stub as an error (inspect_firewall_test.cpp says
// more).

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "inspect/host.h"
#include "inspect_test_support.h"
#include "wine_detect.h"

namespace rdpmend::inspect {
namespace {

using test_support::TestRegistryKey;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::StartsWith;

LocalHostConfig config_for(const TestRegistryKey& key) {
  LocalHostConfig config;
  config.terminal_server_key = key.at(L"Control\\Terminal Server").text();
  return config;
}

TEST(WindowsLocalHost, AssemblesEveryInspector) {
  TestRegistryKey key;
  auto host = make_local_host(config_for(key));
  ASSERT_TRUE(host.ok()) << host.error().message();
  const Host& h = *host.value();
  EXPECT_EQ(h.platform, "windows");
  EXPECT_EQ(h.service_account, "NT AUTHORITY\\NETWORK SERVICE");
  wchar_t name[256];
  DWORD size = 256;
  ASSERT_TRUE(GetComputerNameExW(ComputerNameNetBIOS, name, &size));
  EXPECT_FALSE(h.hostname.empty());
  EXPECT_EQ(_strnicmp(h.hostname.c_str(), win::narrow(name).c_str(), win::narrow(name).size()), 0)
      << h.hostname << " does not start with the NetBIOS name " << win::narrow(name);
  EXPECT_NE(h.listener, nullptr);
  EXPECT_NE(h.certificate, nullptr);
  EXPECT_NE(h.key_access, nullptr);
  EXPECT_NE(h.firewall, nullptr);
  EXPECT_NE(h.services, nullptr);
  EXPECT_TRUE(static_cast<bool>(h.probe_listener));
}

TEST(WindowsLocalHost, ReadsTheListenerFromTheConfiguredKey) {
  TestRegistryKey key;
  TestRegistryKey::set_dword(key.at(L"Control\\Terminal Server\\WinStations\\RDP-Tcp"), L"PortNumber", 3391);
  TestRegistryKey::set_dword(key.at(L"Control\\Terminal Server"), L"fDenyTSConnections", 1);
  auto host = make_local_host(config_for(key));
  ASSERT_TRUE(host.ok());
  auto listener = host.value()->listener->read();
  EXPECT_EQ(listener.error, "");
  EXPECT_EQ(listener.port, 3391);
  EXPECT_EQ(listener.deny_connections, true);
}

TEST(WindowsLocalHost, RefusesAKeyPathWithoutAKey) {
  LocalHostConfig config;
  config.terminal_server_key = "HKLM\\";
  auto host = make_local_host(config);
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.error().what, "read registry location");
}

TEST(WindowsLocalHost, InspectsTheWholeHostWithoutThrowing) {
  TestRegistryKey key;
  TestRegistryKey::set_dword(key.at(L"Control\\Terminal Server\\WinStations\\RDP-Tcp"), L"PortNumber", 3389);
  auto host = make_local_host(config_for(key));
  ASSERT_TRUE(host.ok());
  host.value()->probe_listener = nullptr;  // no network in this test
  HostState state = inspect_host(*host.value(), std::chrono::system_clock::now(), 30);
  EXPECT_EQ(state.platform, "windows");
  EXPECT_EQ(state.listener.port, 3389);
  ASSERT_EQ(state.services.size(), 3u);
  EXPECT_EQ(state.services[0].name, "TermService");
  EXPECT_TRUE(state.machinekeys_acl.has_value());
  EXPECT_TRUE(state.rdp_key_acl.has_value());
  if (test_support::running_under_wine()) {
    // Wine's firewall stub: an error, and the rules unknown rather than missing.
    EXPECT_THAT(state.errors, Contains(StartsWith("firewall: ")));
    EXPECT_TRUE(state.firewall.rules.empty());
    // No MachineKeys folder in a Wine prefix.
    EXPECT_FALSE(state.machinekeys_acl->file.exists);
    EXPECT_FALSE(state.machinekeys_acl->matches_default.has_value());
  }
}

}  // namespace
}  // namespace rdpmend::inspect
