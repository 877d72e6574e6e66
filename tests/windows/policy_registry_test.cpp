// policies/windows/policy_sources: the local and Group Policy keys read for real (Wine implements the
// registry). Each test seeds its own key pair (HKCU\Software\RdpMendTest\...\Local and ...\Policies, shaped
// like HKLM\SOFTWARE\RdpMend and HKLM\SOFTWARE\Policies\RdpMend) and points the reader at it.

#include <gtest/gtest.h>

#include "inspect_test_support.h"
#include "policy_sources.h"

namespace rdpmend::policy {
namespace {

using test_support::TestRegistryKey;

class PolicyRegistryTest : public ::testing::Test {
 protected:
  inspect::windows::RegistryLocation local() const { return key_.at(L"Local"); }
  inspect::windows::RegistryLocation group_policy() const { return key_.at(L"Policies"); }

  Policy load() {
    SourceOptions options;
    options.local_key = local().text();
    options.group_policy_key = group_policy().text();
    return load_policy(options);
  }

  TestRegistryKey key_;
};

TEST_F(PolicyRegistryTest, AbsentKeysMeanTheBuiltInDefaults) {
  auto p = load();
  EXPECT_TRUE(p.errors.empty());
  EXPECT_TRUE(p.warnings.empty());
  EXPECT_EQ(p.mode, Mode::kObserve);
  for (const auto& v : p.values) EXPECT_EQ(v.layer, Layer::kDefault) << v.setting->name;
}

TEST_F(PolicyRegistryTest, ReadsDwordAndStringValuesFromTheLocalKey) {
  TestRegistryKey::set_dword(local(), L"Mode", 3);
  TestRegistryKey::set_dword(local(), L"AllowRestartRdpService", 1);
  TestRegistryKey::set_dword(local(), L"CooldownMinutes", 45);
  TestRegistryKey::set_string(local(), L"MaintenanceWindow", L"Sun 01:00-03:00");
  TestRegistryKey::set_string(local(), L"XrdpCertKeyType", L"rsa3072");
  auto p = load();
  EXPECT_TRUE(p.warnings.empty()) << p.warnings[0].message();
  EXPECT_EQ(p.mode, Mode::kAuto);
  EXPECT_TRUE(p.allows("restart-rdp-service"));
  EXPECT_EQ(p.cooldown_minutes, 45);
  EXPECT_TRUE(p.maintenance_window.contains(0, 90));
  EXPECT_EQ(p.xrdp_cert_key_type, "rsa3072");
  EXPECT_EQ(p.effective("Mode")->layer, Layer::kLocal);
  EXPECT_EQ(p.effective("Mode")->origin, local().text());
}

TEST_F(PolicyRegistryTest, GroupPolicyBeatsLocal) {
  TestRegistryKey::set_dword(local(), L"Mode", 3);
  TestRegistryKey::set_dword(local(), L"MaxActionsPerHour", 10);
  TestRegistryKey::set_dword(group_policy(), L"Mode", 1);
  TestRegistryKey::set_dword(group_policy(), L"AllowRepairMachineKeysAcl", 0);
  auto p = load();
  EXPECT_EQ(p.mode, Mode::kObserve);
  EXPECT_EQ(p.effective("Mode")->layer, Layer::kGroupPolicy);
  EXPECT_EQ(p.effective("Mode")->origin, group_policy().text());
  EXPECT_FALSE(p.allows("repair-machinekeys-acl"));
  EXPECT_EQ(p.max_actions_per_hour, 10);
  EXPECT_EQ(p.effective("MaxActionsPerHour")->layer, Layer::kLocal);
}

TEST_F(PolicyRegistryTest, ValueNamesAreCaseInsensitiveAsInTheRegistry) {
  TestRegistryKey::set_dword(group_policy(), L"mode", 0);
  auto p = load();
  EXPECT_EQ(p.mode, Mode::kOff);
  EXPECT_TRUE(p.warnings.empty());
}

TEST_F(PolicyRegistryTest, WrongRegistryTypeIsIgnoredAndLocalStays) {
  TestRegistryKey::set_dword(local(), L"Mode", 1);
  TestRegistryKey::set_dword(local(), L"AllowRestartRdpService", 0);
  TestRegistryKey::set_string(group_policy(), L"Mode", L"3");  // REG_SZ where REG_DWORD belongs
  TestRegistryKey::set_binary(group_policy(), L"AllowRestartRdpService", {1, 0, 0, 0});  // REG_BINARY
  TestRegistryKey::set_dword(group_policy(), L"MaxActionsPerHour", 1000);                // out of range
  TestRegistryKey::set_dword(group_policy(), L"XrdpCertKeyType", 2);  // REG_DWORD where REG_SZ belongs
  auto p = load();
  EXPECT_EQ(p.mode, Mode::kObserve);
  EXPECT_EQ(p.effective("Mode")->layer, Layer::kLocal);
  EXPECT_FALSE(p.allows("restart-rdp-service"));
  EXPECT_EQ(p.max_actions_per_hour, 4);
  EXPECT_EQ(p.xrdp_cert_key_type, "rsa2048");
  ASSERT_EQ(p.warnings.size(), 4u);
  for (const auto& w : p.warnings) EXPECT_EQ(w.origin, group_policy().text()) << w.message();
  std::string all;
  for (const auto& w : p.warnings) all += w.message() + "\n";
  EXPECT_NE(all.find("AllowRestartRdpService = (REG_BINARY) ignored: wrong type"), std::string::npos) << all;
  EXPECT_NE(all.find("Mode = \"3\" ignored: not one of"), std::string::npos) << all;
  EXPECT_NE(all.find("MaxActionsPerHour = 1000 ignored: out of range 0..60"), std::string::npos) << all;
  EXPECT_NE(all.find("XrdpCertKeyType = 2 ignored: expected text"), std::string::npos) << all;
  EXPECT_TRUE(p.errors.empty());
}

TEST_F(PolicyRegistryTest, AMalformedKeyNameIsASourceError) {
  SourceOptions options;
  options.local_key = "NOTAHIVE\\Software\\X";
  options.group_policy_key = group_policy().text();
  auto p = load_policy(options);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].object, "NOTAHIVE\\Software\\X");
}

}  // namespace
}  // namespace rdpmend::policy
