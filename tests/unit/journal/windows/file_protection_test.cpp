#include "journal/file_protection.h"

#include <windows.h>

#include <aclapi.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sddl.h>

#include "../../../windows/wine_detect.h"
#include "../journal_test_support.h"
#include "platform/windows/win_text.h"
#include "security/sddl.h"

namespace rdpmend::journal {
namespace {

using ::testing::HasSubstr;

class JournalFileProtectionTest : public test::JournalFolder {};

TEST_F(JournalFileProtectionTest, CreatesTheDatabase) {
  Journal journal = open_journal();
  ASSERT_TRUE(journal.actions().record_intent({std::nullopt, "start-rdp-service", "TermService", "", "k"}));
  EXPECT_NE(GetFileAttributesW(win::widen(path_).c_str()), INVALID_FILE_ATTRIBUTES);
}

// SQLite opens the journal by name: in a folder another account may change, it could swap the database for
// its own between the checks and the open, so such a folder is refused before anything is created there.
// (Under Wine the DACL set here becomes mode 0777, read back as Everyone full control: refused the same way.)
TEST_F(JournalFileProtectionTest, RefusesAFolderOthersMayChange) {
  PSECURITY_DESCRIPTOR raw_sd = nullptr;
  ASSERT_TRUE(ConvertStringSecurityDescriptorToSecurityDescriptorW(
      L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;WD)", SDDL_REVISION_1, &raw_sd, nullptr));
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  ASSERT_TRUE(GetSecurityDescriptorDacl(raw_sd, &present, &dacl, &defaulted));
  std::wstring folder = folder_.wstring();
  const DWORD set = SetNamedSecurityInfoW(folder.data(), SE_FILE_OBJECT,
                                          DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                          nullptr, nullptr, dacl, nullptr);
  LocalFree(raw_sd);
  ASSERT_EQ(set, static_cast<DWORD>(ERROR_SUCCESS));
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().what, "check the journal's folder");
  EXPECT_THAT(opened.error().detail, HasSubstr("refused (writable-by-others): "));
  EXPECT_EQ(GetFileAttributesW(win::widen(path_).c_str()), INVALID_FILE_ATTRIBUTES)
      << "nothing is created in a folder that is refused";
}

TEST_F(JournalFileProtectionTest, GivesOnlySystemAndAdministratorsAccess) {
  RDPMEND_SKIP_UNDER_WINE("Wine stores no DACLs");
  { Journal journal = open_journal(); }
  PSECURITY_DESCRIPTOR raw_sd = nullptr;
  PACL dacl = nullptr;
  ASSERT_EQ(GetNamedSecurityInfoW(win::widen(path_).c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
                                  nullptr, nullptr, &dacl, nullptr, &raw_sd),
            static_cast<DWORD>(ERROR_SUCCESS));
  wchar_t* raw_text = nullptr;
  ASSERT_TRUE(ConvertSecurityDescriptorToStringSecurityDescriptorW(
      raw_sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &raw_text, nullptr));
  const std::string sddl = win::narrow(raw_text);
  LocalFree(raw_text);
  LocalFree(raw_sd);
  auto actual = security::parse_sddl(sddl);
  auto expected = security::parse_sddl("D:P(A;;FA;;;SY)(A;;FA;;;BA)");
  ASSERT_TRUE(actual && expected);
  EXPECT_TRUE(security::compare_security_descriptors(actual.value(), expected.value()).empty()) << sddl;
}

TEST_F(JournalFileProtectionTest, RefusesADatabaseEveryoneCanRead) {
  RDPMEND_SKIP_UNDER_WINE("Wine stores no DACLs");
  { Journal journal = open_journal(); }
  PSECURITY_DESCRIPTOR raw_sd = nullptr;
  ASSERT_TRUE(ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;WD)",
                                                                   SDDL_REVISION_1, &raw_sd, nullptr));
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  ASSERT_TRUE(GetSecurityDescriptorDacl(raw_sd, &present, &dacl, &defaulted));
  std::wstring file = win::widen(path_);
  ASSERT_EQ(SetNamedSecurityInfoW(file.data(), SE_FILE_OBJECT,
                                  DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr,
                                  nullptr, dacl, nullptr),
            static_cast<DWORD>(ERROR_SUCCESS));
  LocalFree(raw_sd);
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("gives WD access"));
}

}  // namespace
}  // namespace rdpmend::journal
