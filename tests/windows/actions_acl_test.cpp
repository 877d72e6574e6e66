// remediation/actions/windows: repair-machinekeys-acl and repair-rdp-key-acl on a temporary folder and key
// file.
//
// Under Wine, for real: the handle that never follows a link, the refusals judged on it (a file where a
// folder is expected, a missing object, a key file with a second name: Wine makes hard links), the key-file
// path rules, the backup as SDDL, the apply and rollback calls on the handle, and every refusal of a damaged
// or foreign backup. What Wine cannot check: it does not store file DACLs (it synthesizes them from the Unix
// mode, reference/windows-build-notes.md 3f) and cannot create junctions (FSCTL_SET_REPARSE_POINT is not
// supported), so the descriptors written and the junction refusal are SKIPPED under Wine; verified on real
// Windows: pending.

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "actions/windows/file_acl.h"
#include "actions/windows/windows_actions.h"
#include "actions_test_support.h"
#include "dacl_support.h"
#include "inspect/windows/file_security.h"
#include "inspect/windows/key_access.h"
#include "inspect_test_support.h"
#include "junction_support.h"
#include "security/sddl.h"
#include "wine_detect.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using test_support::make_junction;
using test_support::TestFolder;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kWineDacls = "Wine does not store file DACLs (it synthesizes them from the Unix mode)";
constexpr const char* kWineJunctions =
    "Wine cannot create junctions (FSCTL_SET_REPARSE_POINT is not supported)";
constexpr const wchar_t* kKeyName = L"f686aace6942fb7f7ceb231212eef4a4_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

std::string sddl_of(const std::wstring& path) {
  auto object = windows::open_object(path, windows::ObjectKind::kFolder, false, "test");
  if (!object) object = windows::open_object(path, windows::ObjectKind::kFile, false, "test");
  if (!object) return "(unreadable: " + object.error().message() + ")";
  auto sddl = windows::read_sddl(object.value().get(), "test", "");
  return sddl ? sddl.value() : "(unreadable: " + sddl.error().message() + ")";
}

std::vector<std::string> differences(const std::string& actual, std::string_view expected) {
  auto a = security::parse_sddl(actual);
  auto e = security::parse_sddl(expected);
  if (!a || !e) return {"unparsable: " + actual};
  return security::compare_security_descriptors(a.value(), e.value());
}

class AclActionsTest : public ::testing::Test {
 protected:
  AclActionsTest() {
    machine_keys_ = (folder_.path() / L"MachineKeys").wstring();
    std::filesystem::create_directory(machine_keys_);
    key_file_ = machine_keys_ + L"\\" + kKeyName;
    std::ofstream(std::filesystem::path(key_file_)) << "stand-in key";
    config_ = test_support::isolated_config();
    config_.machine_keys = machine_keys_;
    config_.cng_machine_keys = (folder_.path() / L"Keys").wstring();
    config_.is_administrator = [] { return Result<bool>(true); };
    state_.platform = "windows";
    state_.machinekeys_acl = inspect::AclCheck{};
    state_.machinekeys_acl->file.path = win::narrow(machine_keys_);
    state_.machinekeys_acl->file.exists = true;
    state_.rdp_key_acl = inspect::AclCheck{};
    state_.rdp_key_acl->file.path = win::narrow(key_file_);
    state_.rdp_key_acl->file.exists = true;
  }
  std::unique_ptr<Action> machine_keys_action() { return make_machinekeys_acl_action(config_); }
  std::unique_ptr<Action> key_action() { return make_rdp_key_acl_action(config_); }

  TestFolder folder_;
  std::wstring machine_keys_;
  std::wstring key_file_;
  WindowsActionConfig config_;
  HostState state_;
};

// --- the handle rules, on attributes as the handle reports them (plain code) ---

TEST(HandleRules, RefusesAReparsePointTheWrongKindAndASecondName) {
  BY_HANDLE_FILE_INFORMATION info{};
  info.dwFileAttributes = FILE_ATTRIBUTE_DIRECTORY;
  info.nNumberOfLinks = 1;
  EXPECT_TRUE(windows::check_object(info, windows::ObjectKind::kFolder, "w", "p").ok());
  EXPECT_THAT(windows::check_object(info, windows::ObjectKind::kFile, "w", "p").error().detail,
              HasSubstr("it is a folder"));
  info.dwFileAttributes = FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT;
  auto junction = windows::check_object(info, windows::ObjectKind::kFolder, "repair", "C:\\MachineKeys");
  ASSERT_FALSE(junction.ok());
  EXPECT_EQ(junction.error().what, "repair");
  EXPECT_EQ(junction.error().object, "C:\\MachineKeys");
  EXPECT_THAT(junction.error().detail, StartsWith("refused: it is a reparse point"));
  info.dwFileAttributes = FILE_ATTRIBUTE_ARCHIVE;
  EXPECT_TRUE(windows::check_object(info, windows::ObjectKind::kFile, "w", "p").ok());
  EXPECT_THAT(windows::check_object(info, windows::ObjectKind::kFolder, "w", "p").error().detail,
              HasSubstr("not a folder"));
  info.nNumberOfLinks = 2;
  EXPECT_THAT(windows::check_object(info, windows::ObjectKind::kFile, "w", "p").error().detail,
              HasSubstr("2 names (hard links)"));
}

TEST(HandleRules, ComparesPathsWithoutCaseOrTrailingSeparator) {
  EXPECT_TRUE(windows::same_path(L"C:\\ProgramData\\X", L"c:/programdata/x\\"));
  EXPECT_FALSE(windows::same_path(L"C:\\ProgramData\\X", L"C:\\ProgramData\\X2"));
}

// --- repair-machinekeys-acl ---

TEST_F(AclActionsTest, MachineKeysBackupIsTheFolderSddl) {
  auto action = machine_keys_action();
  ASSERT_TRUE(action->check(state_).ok()) << action->check(state_).error().message();
  auto backup = action->backup(state_);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  EXPECT_EQ(backup.value().data["path"], win::narrow(machine_keys_));
  const std::string sddl = backup.value().data["sddl"].get<std::string>();
  EXPECT_THAT(sddl, StartsWith("O:"));
  EXPECT_THAT(sddl, HasSubstr("D:"));
  EXPECT_TRUE(security::parse_sddl(sddl).ok()) << sddl;
  EXPECT_EQ(sddl, sddl_of(machine_keys_));
  EXPECT_EQ(action->target(state_), win::narrow(machine_keys_));
}

TEST_F(AclActionsTest, MachineKeysAppliesAndRollsBackThroughTheHandle) {
  auto action = machine_keys_action();
  auto backup = action->backup(state_);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  auto applied = action->apply(state_, backup.value());
  ASSERT_TRUE(applied.ok()) << applied.error().message();
  auto again = action->apply(state_, backup.value());
  ASSERT_TRUE(again.ok()) << again.error().message();
  auto rolled_back = action->rollback(backup.value());
  ASSERT_TRUE(rolled_back.ok()) << rolled_back.error().message();
  EXPECT_TRUE(action->reversible());
}

TEST_F(AclActionsTest, MachineKeysGetsTheDocumentedDefaultAndTheSavedSddlBack) {
  RDPMEND_SKIP_UNDER_WINE(kWineDacls);
  RDPMEND_REQUIRE_ELEVATION();
  // A key file inside with an ACL of its own, which the folder repair must not touch.
  const std::string key_before = sddl_of(key_file_);
  auto action = machine_keys_action();
  auto backup = action->backup(state_);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  ASSERT_TRUE(action->apply(state_, backup.value()).ok());
  EXPECT_THAT(differences(sddl_of(machine_keys_), inspect::kMachineKeysDefaultSddl), ::testing::IsEmpty())
      << sddl_of(machine_keys_);
  EXPECT_EQ(sddl_of(key_file_), key_before) << "the folder repair changed a key file inside";
  // The fresh inspection agrees, and so does verify.
  inspect::windows::KeyAccessLocations where;
  where.machine_keys = machine_keys_;
  HostState after = state_;
  after.machinekeys_acl = inspect::windows::make_key_access_inspector(where)->machinekeys_folder();
  EXPECT_TRUE(action->verify(after).ok()) << action->verify(after).error().message();
  ASSERT_TRUE(action->rollback(backup.value()).ok());
  EXPECT_EQ(sddl_of(machine_keys_), backup.value().data["sddl"].get<std::string>());
}

TEST_F(AclActionsTest, MachineKeysRefusesAJunction) {
  RDPMEND_SKIP_UNDER_WINE(kWineJunctions);
  const std::wstring target = (folder_.path() / L"elsewhere").wstring();
  std::filesystem::create_directory(target);
  const std::wstring link = (folder_.path() / L"MachineKeysLink").wstring();
  ASSERT_TRUE(make_junction(link, target)) << GetLastError();
  const std::string target_before = sddl_of(target);
  config_.machine_keys = link;
  state_.machinekeys_acl->file.path = win::narrow(link);
  auto action = machine_keys_action();
  auto checked = action->check(state_);
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.error().detail, StartsWith("refused: it is a reparse point"));
  // Even when called without its check, apply never writes through the junction.
  auto applied = action->apply(state_, Backup{{{"path", win::narrow(link)}, {"sddl", "O:SYG:SYD:P"}}});
  ASSERT_FALSE(applied.ok());
  EXPECT_THAT(applied.error().detail, StartsWith("refused: it is a reparse point"));
  EXPECT_EQ(sddl_of(target), target_before);
  EXPECT_TRUE(std::filesystem::exists(link)) << "nothing is ever renamed or removed";
}

TEST_F(AclActionsTest, MachineKeysRefusesALinkTheInspectionReported) {
  state_.machinekeys_acl->file.is_link = true;
  auto checked = machine_keys_action()->check(state_);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().what, ids::action::kRepairMachinekeysAcl);
  EXPECT_THAT(checked.error().detail, HasSubstr("reparse point"));
  EXPECT_THAT(checked.error().detail, HasSubstr("never renamed"));
}

TEST_F(AclActionsTest, MachineKeysRefusesAFileOrNothing) {
  config_.machine_keys = key_file_;
  auto file = machine_keys_action()->check(state_);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().object, win::narrow(key_file_));
  EXPECT_EQ(file.error().detail, "refused: it is not a folder");

  config_.machine_keys = machine_keys_ + L"-absent";
  auto absent = machine_keys_action()->check(state_);
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.error().detail, "it does not exist");

  config_.machine_keys = (folder_.path() / L"no-such-folder" / L"MachineKeys").wstring();
  auto no_parent = machine_keys_action()->check(state_);
  ASSERT_FALSE(no_parent.ok());
  EXPECT_THAT(no_parent.error().detail, StartsWith("refused (not-found): "));
}

// The folders above MachineKeys and the key file pass the trust rule (security/trusted_file.h): in a folder
// that another account may change, it could swap MachineKeys or the key for its own between the check and the
// change, so neither action opens anything there and nothing is written.
TEST_F(AclActionsTest, BothRefuseAnObjectInAFolderOthersMayChange) {
  const std::filesystem::path shared = folder_.path() / L"shared";
  std::filesystem::create_directory(shared);
  const std::wstring keys = (shared / L"MachineKeys").wstring();
  std::filesystem::create_directory(keys);
  const std::wstring key = keys + L"\\" + kKeyName;
  std::ofstream(std::filesystem::path(key)) << "stand-in key";
  ASSERT_TRUE(test_support::set_dacl_by_name(shared, L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;" +
                                                         test_support::my_sid() + L")(A;OICI;FA;;;WD)"));
  const std::string keys_before = sddl_of(keys), key_before = sddl_of(key);
  config_.machine_keys = keys;
  state_.machinekeys_acl->file.path = win::narrow(keys);
  state_.rdp_key_acl->file.path = win::narrow(key);
  std::vector<std::unique_ptr<Action>> actions;
  actions.push_back(machine_keys_action());
  actions.push_back(key_action());
  for (const auto& action : actions) {
    auto checked = action->check(state_);
    ASSERT_FALSE(checked.ok()) << action->id();
    EXPECT_THAT(checked.error().detail,
                StartsWith("refused (writable-by-others): " + win::narrow(shared.wstring())))
        << action->id();
    auto backup = action->backup(state_);
    EXPECT_FALSE(backup.ok()) << action->id();
    auto rolled_back = action->rollback(
        Backup{{{"path", win::narrow(action->id() == ids::action::kRepairMachinekeysAcl ? keys : key)},
                {"sddl", keys_before}}});
    ASSERT_FALSE(rolled_back.ok()) << action->id();
    EXPECT_THAT(rolled_back.error().detail, HasSubstr("writable-by-others")) << action->id();
  }
  EXPECT_EQ(sddl_of(keys), keys_before);
  EXPECT_EQ(sddl_of(key), key_before);
}

TEST_F(AclActionsTest, MachineKeysRefusesAForeignOrDamagedBackup) {
  auto action = machine_keys_action();
  const std::string other = win::narrow((folder_.path() / L"other").wstring());
  std::filesystem::create_directory(folder_.path() / L"other");
  auto foreign = action->rollback(Backup{{{"path", other}, {"sddl", "O:SYG:SYD:PAI(A;;FA;;;BA)"}}});
  ASSERT_FALSE(foreign.ok());
  EXPECT_THAT(foreign.error().detail, StartsWith("refused: the backup names another folder"));

  const std::string mine = win::narrow(machine_keys_);
  auto null_dacl = action->rollback(Backup{{{"path", mine}, {"sddl", "O:SYG:SYD:NO_ACCESS_CONTROL"}}});
  ASSERT_FALSE(null_dacl.ok());
  EXPECT_THAT(null_dacl.error().detail, HasSubstr("has no DACL at all"));
  auto no_owner = action->rollback(Backup{{{"path", mine}, {"sddl", "D:P(A;;FA;;;BA)"}}});
  ASSERT_FALSE(no_owner.ok());
  EXPECT_THAT(no_owner.error().detail, HasSubstr("does not state owner, group and DACL"));
  auto garbage = action->rollback(Backup{{{"path", mine}, {"sddl", "O:SYG:SYD:(Z;;;;;)"}}});
  ASSERT_FALSE(garbage.ok());
  EXPECT_THAT(garbage.error().detail, StartsWith("refused: "));
  auto damaged = action->rollback(Backup{{{"path", 7}}});
  ASSERT_FALSE(damaged.ok());
  EXPECT_THAT(damaged.error().detail, HasSubstr("the backup is damaged"));
  auto other_object = action->apply(state_, Backup{{{"path", other}, {"sddl", "O:SYG:SYD:P"}}});
  ASSERT_FALSE(other_object.ok());
  EXPECT_EQ(other_object.error().detail, "refused: the backup is of another object");
}

TEST_F(AclActionsTest, MachineKeysVerifyNeedsTheDefault) {
  auto action = machine_keys_action();
  state_.machinekeys_acl->matches_default = false;
  state_.machinekeys_acl->differences = {"DACL not protected (PAI)"};
  auto failed = action->verify(state_);
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.error().detail, HasSubstr("DACL not protected (PAI)"));
  state_.machinekeys_acl->matches_default = true;
  state_.machinekeys_acl->differences.clear();
  EXPECT_TRUE(action->verify(state_).ok());
  state_.machinekeys_acl.reset();
  EXPECT_FALSE(action->verify(state_).ok());
}

// --- repair-rdp-key-acl ---

TEST_F(AclActionsTest, KeyFileBackupAppliesAndRollsBack) {
  auto action = key_action();
  ASSERT_TRUE(action->check(state_).ok()) << action->check(state_).error().message();
  EXPECT_EQ(action->target(state_), win::narrow(key_file_));
  auto backup = action->backup(state_);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  EXPECT_EQ(backup.value().data["path"], win::narrow(key_file_));
  EXPECT_EQ(backup.value().data["sddl"], sddl_of(key_file_));
  auto applied = action->apply(state_, backup.value());
  ASSERT_TRUE(applied.ok()) << applied.error().message();
  auto rolled_back = action->rollback(backup.value());
  ASSERT_TRUE(rolled_back.ok()) << rolled_back.error().message();
}

TEST_F(AclActionsTest, KeyFileGetsSystemAdministratorsAndNetworkServiceOnly) {
  RDPMEND_SKIP_UNDER_WINE(kWineDacls);
  RDPMEND_REQUIRE_ELEVATION();
  auto action = key_action();
  auto backup = action->backup(state_);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  ASSERT_TRUE(action->apply(state_, backup.value()).ok());
  EXPECT_THAT(differences(sddl_of(key_file_), kRdpKeyFileSddl), ::testing::IsEmpty()) << sddl_of(key_file_);
  // The key-access inspector's rules agree (NETWORK SERVICE reads, SYSTEM full, no ordinary user).
  inspect::windows::KeyAccessLocations where;
  where.machine_keys = machine_keys_;
  inspect::ListenerCertificate certificate;
  certificate.key.path = win::narrow(key_file_);
  HostState after = state_;
  after.rdp_key_acl = inspect::windows::make_key_access_inspector(where)->rdp_key_file(certificate);
  EXPECT_TRUE(action->verify(after).ok()) << action->verify(after).error().message();
  ASSERT_TRUE(action->rollback(backup.value()).ok());
  EXPECT_EQ(sddl_of(key_file_), backup.value().data["sddl"].get<std::string>());
}

TEST_F(AclActionsTest, KeyFileRefusesASecondName) {
  const std::wstring other = (folder_.path() / L"someone-elses-file").wstring();
  std::ofstream(std::filesystem::path(other)) << "not a key";
  const std::wstring linked = machine_keys_ + L"\\f686aace6942fb7f7ceb231212eef4a4_linked";
  ASSERT_TRUE(CreateHardLinkW(linked.c_str(), other.c_str(), nullptr)) << GetLastError();
  state_.rdp_key_acl->file.path = win::narrow(linked);
  auto checked = key_action()->check(state_);
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.error().detail, HasSubstr("2 names (hard links)"));
  auto applied = key_action()->apply(state_, Backup{{{"path", win::narrow(linked)}, {"sddl", "x"}}});
  ASSERT_FALSE(applied.ok());
  EXPECT_THAT(applied.error().detail, HasSubstr("2 names (hard links)"));
}

TEST_F(AclActionsTest, KeyFileMustBeAKeyFileInTheKeyFolders) {
  const std::string outside = win::narrow((folder_.path() / kKeyName).wstring());
  std::ofstream(folder_.path() / kKeyName) << "stand-in";
  for (const std::string& path :
       {outside, win::narrow(machine_keys_) + "\\..\\" + win::narrow(kKeyName),
        win::narrow(machine_keys_) + "\\key file.txt", std::string("relative-name"), std::string()}) {
    state_.rdp_key_acl->file.path = path;
    state_.certificate.key.path.clear();
    auto checked = key_action()->check(state_);
    ASSERT_FALSE(checked.ok()) << path;
    EXPECT_EQ(checked.error().what, ids::action::kRepairRdpKeyAcl) << path;
  }
  // The certificate's own key path is used when the ACL check has none, under the same rules.
  state_.rdp_key_acl.reset();
  state_.certificate.key.path = win::narrow(key_file_);
  EXPECT_TRUE(key_action()->check(state_).ok());
  // A CNG key under Crypto\Keys is accepted too.
  std::filesystem::create_directory(config_.cng_machine_keys);
  const std::wstring cng =
      config_.cng_machine_keys + L"\\0a1b2c3d4e5f_" + L"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  std::ofstream(std::filesystem::path(cng)) << "stand-in";
  state_.certificate.key.path = win::narrow(cng);
  EXPECT_TRUE(key_action()->check(state_).ok());
  // The rollback refuses a backup naming a file outside.
  auto foreign = key_action()->rollback(Backup{{{"path", outside}, {"sddl", "O:SYG:SYD:P(A;;FA;;;SY)"}}});
  ASSERT_FALSE(foreign.ok());
  EXPECT_THAT(foreign.error().detail, HasSubstr("not in the machine key folders"));
}

TEST_F(AclActionsTest, KeyFileRefusesALinkTheInspectionReported) {
  state_.certificate.key.is_link = true;
  auto checked = key_action()->check(state_);
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.error().detail, HasSubstr("never changed through a link"));
}

TEST_F(AclActionsTest, KeyFileVerifyNeedsNetworkServiceAndNothingWider) {
  auto action = key_action();
  auto& acl = *state_.rdp_key_acl;
  acl.file.readable_by_service = false;
  EXPECT_THAT(action->verify(state_).error().detail, HasSubstr("NETWORK SERVICE still cannot read"));
  acl.file.readable_by_service = true;
  acl.matches_default = false;
  acl.differences = {"ordinary users (Everyone, Users, Authenticated Users) can read the private key"};
  EXPECT_THAT(action->verify(state_).error().detail, HasSubstr("ordinary users"));
  acl.matches_default = true;
  acl.differences.clear();
  EXPECT_TRUE(action->verify(state_).ok());
}

TEST(RdpKeyFileSddl, MeetsTheInspectorsRules) {
  inspect::FileState file;
  file.exists = true;
  file.sddl = kRdpKeyFileSddl;
  EXPECT_THAT(inspect::windows::rdp_key_file_differences(file, inspect::windows::network_service_sids()),
              ::testing::IsEmpty());
}

}  // namespace
}  // namespace rdpmend::actions
