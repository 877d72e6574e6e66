// remediation/inspect/windows/key_access: the MachineKeys folder's DACL against its documented default, and
// the RDP key file f686aace6942fb7f7ceb231212eef4a4_<MachineGuid>.
//
// Under Wine, for real: reading a folder's security descriptor through a handle and comparing it (the
// pipeline, on the DACL Wine makes up), naming the RDP key file from MachineGuid in the registry, absent
// folders and files, and the key-file rules on given descriptors. What Wine cannot check: Wine 8 does not
// store DACLs (it synthesizes them from Unix modes; reference/windows-build-notes.md 3f) and a Wine prefix
// has no MachineKeys folder, so the verdicts on real descriptors are SKIPPED under Wine; verified on real
// Windows: pending.

#include "inspect/windows/key_access.h"

#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "inspect/windows/file_security.h"
#include "inspect_test_support.h"
#include "security/sddl.h"
#include "wine_detect.h"

namespace rdpmend::inspect::windows {
namespace {

using test_support::TestFolder;
using test_support::TestRegistryKey;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr const char* kWineDacls = "Wine does not store file DACLs (it synthesizes them from the Unix mode)";

// Sets a file's DACL (protected) from SDDL, as repair-machinekeys-acl will.
bool set_dacl(const std::wstring& path, const wchar_t* sddl) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, nullptr))
    return false;
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
  DWORD rc = SetNamedSecurityInfoW(const_cast<wchar_t*>(path.c_str()), SE_FILE_OBJECT,
                                   DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr,
                                   nullptr, dacl, nullptr);
  LocalFree(sd);
  return rc == ERROR_SUCCESS;
}

class KeyAccessTest : public ::testing::Test {
 protected:
  KeyAccessTest() {
    where_.machine_keys = folder_.path().wstring();
    where_.cryptography = registry_.at(L"Cryptography");
  }
  std::unique_ptr<KeyAccessInspector> inspector() { return make_key_access_inspector(where_); }

  TestFolder folder_;
  TestRegistryKey registry_;
  KeyAccessLocations where_;
};

TEST_F(KeyAccessTest, ReadsAndComparesTheFolderDescriptor) {
  auto check = inspector()->machinekeys_folder();
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->file.error, "");
  EXPECT_TRUE(check->file.exists);
  EXPECT_FALSE(check->file.is_link);
  EXPECT_EQ(check->file.path, win::narrow(folder_.path().wstring()));
  EXPECT_THAT(check->file.sddl, StartsWith("O:"));
  EXPECT_TRUE(security::parse_sddl(check->file.sddl).ok()) << check->file.sddl;
  ASSERT_TRUE(check->matches_default.has_value());
  EXPECT_EQ(*check->matches_default, check->differences.empty());
  // A temporary folder inherits its parent's DACL: never the MachineKeys default.
  EXPECT_FALSE(*check->matches_default);
  EXPECT_THAT(check->differences, Contains("DACL not protected (PAI)"));
}

TEST_F(KeyAccessTest, RecognizesTheDefaultAcl) {
  RDPMEND_SKIP_UNDER_WINE(kWineDacls);
  ASSERT_TRUE(set_dacl(folder_.path().wstring(), L"D:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)"));
  auto check = inspector()->machinekeys_folder();
  ASSERT_TRUE(check.has_value());
  // The owner stays the test's account (a process cannot give a folder to SYSTEM without SeRestorePrivilege):
  // only the DACL is expected to match.
  for (const auto& d : check->differences)
    EXPECT_THAT(d, ::testing::AnyOf(StartsWith("owner is "), StartsWith("group is "))) << check->file.sddl;
}

TEST_F(KeyAccessTest, ReportsAnEveryoneFullControlDrift) {
  RDPMEND_SKIP_UNDER_WINE(kWineDacls);
  ASSERT_TRUE(set_dacl(folder_.path().wstring(), L"D:PAI(A;OICI;FA;;;WD)(A;;FA;;;BA)"));
  auto check = inspector()->machinekeys_folder();
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->matches_default, false);
  EXPECT_THAT(check->differences, Contains("missing ACE (A;;0x12019f;;;WD)"));
  EXPECT_THAT(check->differences, Contains("extra ACE (A;OICI;FA;;;WD)"));
}

TEST_F(KeyAccessTest, ChecksTheRealMachineKeysFolder) {
  RDPMEND_SKIP_UNDER_WINE("a Wine prefix has no MachineKeys folder and Wine does not store DACLs");
  auto check = make_key_access_inspector({})->machinekeys_folder();
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->file.error, "");
  EXPECT_TRUE(check->file.exists);
  EXPECT_THAT(check->file.path, HasSubstr("\\Microsoft\\Crypto\\RSA\\MachineKeys"));
  ASSERT_TRUE(check->matches_default.has_value());
  // A clean host matches the documented default; print what differs otherwise.
  EXPECT_THAT(check->differences, IsEmpty()) << check->file.sddl;
}

TEST_F(KeyAccessTest, ReportsAMissingFolderWithoutAVerdict) {
  where_.machine_keys = (folder_.path() / L"no-such-folder").wstring();
  auto check = inspector()->machinekeys_folder();
  ASSERT_TRUE(check.has_value());
  EXPECT_FALSE(check->file.exists);
  EXPECT_EQ(check->file.error, "the MachineKeys folder does not exist");
  EXPECT_FALSE(check->matches_default.has_value());
}

TEST_F(KeyAccessTest, NeverFollowsALinkAtMachineKeys) {
  const std::filesystem::path target = folder_.path() / L"target";
  const std::filesystem::path link = folder_.path() / L"link";
  std::filesystem::create_directory(target);
  std::error_code failed;
  std::filesystem::create_directory_symlink(target, link, failed);
  const DWORD attributes = GetFileAttributesW(link.c_str());
  if (failed || attributes == INVALID_FILE_ATTRIBUTES || !(attributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
    const std::string why = failed ? "cannot create a directory symlink here (" + failed.message() + ")"
                                   : "this system does not report the symlink as a reparse point";
    std::cout << "SKIPPED: " << why << "; verified on real Windows: pending" << std::endl;
    GTEST_SKIP() << "SKIPPED: " << why << "; verified on real Windows: pending";
  }
  where_.machine_keys = link.wstring();
  auto check = inspector()->machinekeys_folder();
  ASSERT_TRUE(check.has_value());
  EXPECT_TRUE(check->file.is_link);
  EXPECT_EQ(check->matches_default, false);
  EXPECT_THAT(check->differences, Contains(StartsWith("is a link (reparse point")));
}

TEST_F(KeyAccessTest, NamesTheRdpKeyFileFromMachineGuid) {
  TestRegistryKey::set_string(where_.cryptography, L"MachineGuid", L"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
  const std::wstring expected =
      folder_.path().wstring() + L"\\f686aace6942fb7f7ceb231212eef4a4_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

  auto absent = inspector()->rdp_key_file(ListenerCertificate{});
  ASSERT_TRUE(absent.has_value());
  EXPECT_EQ(absent->file.path, win::narrow(expected));
  EXPECT_FALSE(absent->file.exists);
  EXPECT_EQ(absent->file.error, "");
  EXPECT_FALSE(absent->matches_default.has_value());

  std::ofstream(std::filesystem::path(expected)) << "stand-in key";
  auto present = inspector()->rdp_key_file(ListenerCertificate{});
  ASSERT_TRUE(present.has_value());
  EXPECT_EQ(present->file.error, "");
  EXPECT_TRUE(present->file.exists);
  EXPECT_THAT(present->file.sddl, StartsWith("O:"));
  ASSERT_TRUE(present->matches_default.has_value());
  EXPECT_EQ(*present->matches_default, present->differences.empty());
}

TEST_F(KeyAccessTest, UsesTheCertificatesOwnKeyFileWhenKnown) {
  const std::filesystem::path key = folder_.path() / L"custom-key";
  std::ofstream(key) << "stand-in key";
  ListenerCertificate certificate;
  certificate.key.path = win::narrow(key.wstring());
  auto check = inspector()->rdp_key_file(certificate);
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->file.path, certificate.key.path);
  EXPECT_TRUE(check->file.exists);
}

TEST_F(KeyAccessTest, SaysWhyTheRdpKeyFileHasNoNameWithoutMachineGuid) {
  auto check = inspector()->rdp_key_file(ListenerCertificate{});
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->file.error,
            where_.cryptography.text() + "\\MachineGuid is not set: the RDP key file has no name");
  TestRegistryKey::set_dword(where_.cryptography, L"MachineGuid", 7);
  EXPECT_THAT(inspector()->rdp_key_file(ListenerCertificate{})->file.error,
              HasSubstr("MachineGuid': is REG_DWORD, expected REG_SZ"));
}

TEST_F(KeyAccessTest, ReadsTheRealRdpKeyFile) {
  RDPMEND_SKIP_UNDER_WINE("Wine keeps machine keys in the registry (no f686... file) and synthesizes DACLs");
  auto check = make_key_access_inspector({})->rdp_key_file(ListenerCertificate{});
  ASSERT_TRUE(check.has_value());
  EXPECT_THAT(check->file.path, HasSubstr("\\MachineKeys\\f686aace6942fb7f7ceb231212eef4a4_"));
  EXPECT_EQ(check->file.error, "");
  if (check->file.exists) {
    EXPECT_EQ(check->file.readable_by_service, true) << check->file.sddl;
    EXPECT_THAT(check->differences, IsEmpty()) << check->file.sddl;
  }
}

// The key-file rules, on descriptors given as SDDL (plain code: runs everywhere).
FileState key_file(const std::string& sddl, bool is_link = false) {
  FileState f;
  f.exists = true;
  f.is_link = is_link;
  f.sddl = sddl;
  return f;
}

TEST(RdpKeyFileRules, AcceptsAKeyReadableByTheServiceAndOwnedBySystem) {
  EXPECT_THAT(rdp_key_file_differences(key_file("O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)"),
                                       network_service_sids()),
              IsEmpty());
}

TEST(RdpKeyFileRules, ReportsAKeyNetworkServiceCannotRead) {
  auto d = rdp_key_file_differences(key_file("O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)"), network_service_sids());
  EXPECT_THAT(d, ::testing::ElementsAre("NETWORK SERVICE cannot read the key (no ACE grants 0x120089)"));
  auto denied = rdp_key_file_differences(key_file("O:SYG:SYD:P(D;;FR;;;SU)(A;;FA;;;SY)(A;;FR;;;NS)"),
                                         network_service_sids());
  EXPECT_THAT(denied, ::testing::ElementsAre("NETWORK SERVICE cannot read the key (denied by (D;;FR;;;SU))"));
}

TEST(RdpKeyFileRules, ReportsMissingSystemAccessAndBroadReadAccess) {
  auto d = rdp_key_file_differences(key_file("O:BAG:SYD:P(A;;FR;;;SY)(A;;FR;;;WD)"), network_service_sids());
  EXPECT_THAT(d, ::testing::ElementsAre(
                     HasSubstr("SYSTEM lacks full control"),
                     "ordinary users (Everyone, Users, Authenticated Users) can read the private key"));
  // What Wine makes up for every file.
  auto wine = rdp_key_file_differences(key_file("O:S-1-5-21-0-0-0-1000D:(A;;FA;;;SY)(A;;0x1301ff;;;WD)"),
                                       network_service_sids());
  EXPECT_THAT(wine,
              Contains("ordinary users (Everyone, Users, Authenticated Users) can read the private key"));
}

TEST(RdpKeyFileRules, ReportsALink) {
  auto d =
      rdp_key_file_differences(key_file("O:SYG:SYD:P(A;;FA;;;SY)(A;;FR;;;NS)", true), network_service_sids());
  EXPECT_THAT(d, Contains(StartsWith("is a link (reparse point")));
}

TEST(FileSecurity, ReportsAnAbsentFileWithoutAnError) {
  auto f = inspect_file_security(L"C:\\rdpmend-test-no-such-dir\\no-such-file", network_service_sids());
  EXPECT_FALSE(f.exists);
  EXPECT_EQ(f.error, "");
  EXPECT_FALSE(f.readable_by_service.has_value());
}

TEST(FileSecurity, FindsTheCryptoFolders) {
  auto rsa = rsa_machine_keys_folder();
  auto cng = cng_machine_keys_folder();
  ASSERT_TRUE(rsa.ok());
  ASSERT_TRUE(cng.ok());
  EXPECT_THAT(win::narrow(rsa.value()), ::testing::EndsWith("\\Microsoft\\Crypto\\RSA\\MachineKeys"));
  EXPECT_THAT(win::narrow(cng.value()), ::testing::EndsWith("\\Microsoft\\Crypto\\Keys"));
  EXPECT_EQ(rsa.value().rfind(program_data_folder().value(), 0), 0u);
}

}  // namespace
}  // namespace rdpmend::inspect::windows
