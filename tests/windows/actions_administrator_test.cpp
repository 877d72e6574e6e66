// remediation/actions/windows: every action refuses to change the host without Administrator rights, and
// make_local_actions offers every Windows action of the diagnosis catalog.
//
// Under Wine, for real: the token check itself (a Wine process holds BUILTIN\Administrators enabled, and the
// answer is cross-checked against the token's groups), and the refusal of every action when the check says
// no. What Wine cannot check: it ignores the deny-only SIDs of a restricted token (CheckTokenMembership still
// sees Administrators), so the refusal for an unelevated token is SKIPPED under Wine; verified on real
// Windows: pending.

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "actions/local_actions.h"
#include "actions/windows/administrator.h"
#include "actions/windows/windows_actions.h"
#include "actions_test_support.h"
#include "diagnosis/diagnosis_catalog.h"
#include "wine_detect.h"

namespace rdpmend::actions {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kIds{ids::action::kRepairMachinekeysAcl, ids::action::kRepairRdpKeyAcl,
                                    ids::action::kRegenerateRdpCert,    ids::action::kRestoreFirewallRules,
                                    ids::action::kStartRdpService,      ids::action::kRestartRdpService};

// BUILTIN\Administrators enabled (and not deny-only) in the process token, read from its groups.
bool token_groups_hold_enabled_administrators() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
  DWORD size = 0;
  GetTokenInformation(token, TokenGroups, nullptr, 0, &size);
  std::vector<std::uint64_t> buffer((size + 7) / 8);
  auto* groups = reinterpret_cast<TOKEN_GROUPS*>(buffer.data());
  const bool read = GetTokenInformation(token, TokenGroups, groups, size, &size) != FALSE;
  CloseHandle(token);
  if (!read) return false;
  BYTE admins[SECURITY_MAX_SID_SIZE];
  DWORD sid_size = sizeof admins;
  CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, admins, &sid_size);
  for (DWORD i = 0; i < groups->GroupCount; ++i)
    if (EqualSid(groups->Groups[i].Sid, admins) && (groups->Groups[i].Attributes & SE_GROUP_ENABLED) &&
        !(groups->Groups[i].Attributes & SE_GROUP_USE_FOR_DENY_ONLY))
      return true;
  return false;
}

TEST(Administrator, TheTokenCheckAgreesWithTheTokensGroups) {
  auto admin = windows::calling_thread_is_administrator();
  ASSERT_TRUE(admin.ok()) << admin.error().message();
  EXPECT_EQ(admin.value(), token_groups_hold_enabled_administrators());
  if (test_support::running_under_wine()) {
    EXPECT_TRUE(admin.value()) << "a Wine process is an administrator";
  }
}

TEST(Administrator, EveryActionRefusesWithoutAdministratorRights) {
  auto config = test_support::isolated_config();
  config.is_administrator = [] { return Result<bool>(false); };
  auto set = make_windows_actions(config);
  for (const auto& id : kIds) {
    Action* a = set.find(id);
    ASSERT_NE(a, nullptr) << id;
    auto checked = a->check(inspect::HostState{});
    ASSERT_FALSE(checked.ok()) << id;
    EXPECT_EQ(checked.error().what, id);
    EXPECT_EQ(checked.error().object, "BUILTIN\\Administrators");
    EXPECT_THAT(checked.error().detail, HasSubstr("changing the host needs Administrator rights")) << id;
  }
}

TEST(Administrator, AFailedCheckIsAnErrorWithItsContext) {
  auto config = test_support::isolated_config();
  config.is_administrator = [] {
    return Result<bool>(Error{"check the caller's token", "S-1-5-32-544", "Access is denied. (error 5)"});
  };
  auto checked = make_machinekeys_acl_action(config)->check(inspect::HostState{});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().what, "repair-machinekeys-acl: check the caller's token");
  EXPECT_EQ(checked.error().detail, "Access is denied. (error 5)");
}

TEST(Administrator, AnUnelevatedTokenIsRefused) {
  RDPMEND_SKIP_UNDER_WINE(
      "Wine ignores the deny-only SIDs of a restricted token (CheckTokenMembership still sees "
      "Administrators)");
  // What UAC gives an administrator's unelevated programs: Administrators for deny only.
  HANDLE process = nullptr;
  ASSERT_TRUE(
      OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY, &process));
  BYTE admins[SECURITY_MAX_SID_SIZE];
  DWORD sid_size = sizeof admins;
  ASSERT_TRUE(CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, admins, &sid_size));
  SID_AND_ATTRIBUTES deny{admins, 0};
  HANDLE restricted = nullptr, impersonation = nullptr;
  ASSERT_TRUE(CreateRestrictedToken(process, 0, 1, &deny, 0, nullptr, 0, nullptr, &restricted))
      << GetLastError();
  ASSERT_TRUE(DuplicateTokenEx(restricted, TOKEN_IMPERSONATE | TOKEN_QUERY, nullptr, SecurityImpersonation,
                               TokenImpersonation, &impersonation));
  ASSERT_TRUE(SetThreadToken(nullptr, impersonation)) << GetLastError();
  auto admin = windows::calling_thread_is_administrator();
  auto checked = make_windows_actions(test_support::isolated_config())
                     .find(ids::action::kRepairMachinekeysAcl)
                     ->check({});
  RevertToSelf();
  CloseHandle(impersonation);
  CloseHandle(restricted);
  CloseHandle(process);
  ASSERT_TRUE(admin.ok());
  EXPECT_FALSE(admin.value());
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.error().detail, HasSubstr("changing the host needs Administrator rights"));
}

TEST(WindowsActions, OfferEveryWindowsActionOfTheCatalog) {
  auto ids = make_local_actions(LocalActionConfig{}).ids();
  EXPECT_EQ(ids, kIds);
  for (const auto& action : diagnosis::default_diagnosis_catalog().actions)
    EXPECT_NE(std::find(ids.begin(), ids.end(), action.id), ids.end()) << action.id;
  auto set = make_windows_actions(WindowsActionConfig{});
  EXPECT_TRUE(set.find(ids::action::kRepairMachinekeysAcl)->reversible());
  EXPECT_TRUE(set.find(ids::action::kRepairRdpKeyAcl)->reversible());
  EXPECT_TRUE(set.find(ids::action::kRegenerateRdpCert)->reversible());
  EXPECT_TRUE(set.find(ids::action::kRestoreFirewallRules)->reversible());
  EXPECT_FALSE(set.find(ids::action::kStartRdpService)->reversible());
  EXPECT_FALSE(set.find(ids::action::kRestartRdpService)->reversible());
}

}  // namespace
}  // namespace rdpmend::actions
