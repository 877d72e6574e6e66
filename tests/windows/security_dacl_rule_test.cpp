// remediation/security/windows/dacl_rights and accounts: what accounts other than the trusted ones may do to
// an object, from DACLs given as SDDL (or built byte by byte where SDDL has no spelling). No file system, so
// every row runs for real under Wine too: ConvertStringSecurityDescriptorToSecurityDescriptorW and the ACL
// calls are implemented there.

#include "security/windows/dacl_rights.h"

#include <windows.h>

#include <sddl.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"
#include "security/windows/accounts.h"

namespace rdpmend::security::windows {
namespace {

using ::testing::HasSubstr;

constexpr const wchar_t* kProcessUser = L"S-1-5-21-1-2-3-1001";  // stands for the account the agent runs as

SidBytes sid(const wchar_t* text) {
  PSID raw = nullptr;
  if (!ConvertStringSidToSidW(text, &raw)) return {};
  win::LocalPtr<void> owned(raw);
  return sid_bytes(raw);
}

const TrustedAccounts& trusted() {
  static const TrustedAccounts accounts(sid(kProcessUser));
  return accounts;
}

// The verdict on the DACL of `sddl` ("D:..."): "change", "only-add" or "none"; "bad SDDL" when it does not
// parse.
std::string verdict(const std::wstring& sddl, ObjectKind kind, std::string* evidence = nullptr) {
  PSECURITY_DESCRIPTOR raw = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &raw, nullptr))
    return "bad SDDL";
  win::LocalPtr<void> sd(raw);
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = nullptr;
  if (!GetSecurityDescriptorDacl(raw, &present, &dacl, &defaulted)) return "bad SDDL";
  auto rights = others_rights(present ? dacl : nullptr, kind, trusted());
  if (evidence) *evidence = rights.evidence;
  if (rights.may_change) return "change";
  return rights.may_add ? "only-add" : "none";
}

struct Row {
  const char* name;
  const wchar_t* sddl;
  ObjectKind kind;
  const char* want;
};

TEST(SecurityDaclRule, FoldersFilesAndLinks) {
  const Row rows[] = {
      // Folders.
      {"Users may read and list", L"D:P(A;OICI;0x1200a9;;;BU)", ObjectKind::kFolder, "none"},
      {"C:\\ by default: Authenticated Users may add subfolders; the inherit-only Modify is for children",
       L"D:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;BU)(A;OICIIO;0x1301bf;;;AU)(A;;0x4;;;AU)",
       ObjectKind::kFolder, "only-add"},
      {"C:\\ProgramData by default: Users may add files and subfolders, write EAs and attributes",
       L"D:PAI(A;OICIIO;GA;;;CO)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;CI;0x116;;;BU)",
       ObjectKind::kFolder, "only-add"},
      {"MachineKeys by default", L"D:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)", ObjectKind::kFolder, "only-add"},
      {"Everyone may add files and delete children", L"D:P(A;;0x42;;;WD)", ObjectKind::kFolder, "change"},
      {"Everyone may delete children only", L"D:P(A;;0x40;;;WD)", ObjectKind::kFolder, "change"},
      {"Everyone may delete the folder", L"D:P(A;;0x10000;;;WD)", ObjectKind::kFolder, "change"},
      {"Everyone may change its DACL", L"D:P(A;;0x40000;;;WD)", ObjectKind::kFolder, "change"},
      {"Everyone may take ownership", L"D:P(A;;0x80000;;;WD)", ObjectKind::kFolder, "change"},
      {"generic write is taken as a write", L"D:P(A;;GW;;;WD)", ObjectKind::kFolder, "change"},
      {"generic all", L"D:P(A;;GA;;;WD)", ObjectKind::kFolder, "change"},
      {"full control", L"D:P(A;;FA;;;WD)", ObjectKind::kFolder, "change"},
      {"extended attributes and attributes of a folder change no entry", L"D:P(A;;0x110;;;WD)",
       ObjectKind::kFolder, "none"},
      {"an inherit-only grant is for the children only", L"D:P(A;OICIIO;FA;;;WD)", ObjectKind::kFolder,
       "none"},
      {"CREATOR OWNER on the object itself matches no caller", L"D:P(A;;FA;;;CO)", ObjectKind::kFolder,
       "none"},
      {"OWNER RIGHTS is the owner, judged apart", L"D:P(A;;FA;;;S-1-3-4)", ObjectKind::kFolder, "none"},
      {"the trusted accounts and the process's own may do anything",
       L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)"
       L"(A;;FA;;;S-1-5-21-1-2-3-1001)",
       ObjectKind::kFolder, "none"},
      {"another user", L"D:P(A;;FA;;;S-1-5-21-1-2-3-1002)", ObjectKind::kFolder, "change"},
      {"LOCAL SERVICE", L"D:P(A;;FA;;;LS)", ObjectKind::kFolder, "change"},
      {"a deny ACE before the grant is not credited", L"D:P(D;;FA;;;WD)(A;;FA;;;WD)", ObjectKind::kFolder,
       "change"},
      {"an empty DACL lets no one in", L"D:P", ObjectKind::kFolder, "none"},
      // Files.
      {"a file others may write", L"D:P(A;;0x2;;;WD)", ObjectKind::kFile, "change"},
      {"a file others may append to", L"D:P(A;;0x4;;;WD)", ObjectKind::kFile, "change"},
      {"a file others may write EAs of", L"D:P(A;;0x10;;;WD)", ObjectKind::kFile, "change"},
      {"a file others may delete", L"D:P(A;;SD;;;WD)", ObjectKind::kFile, "change"},
      {"a file others may only read", L"D:P(A;;FR;;;WD)(A;;FX;;;BU)", ObjectKind::kFile, "none"},
      {"write-attributes on a file: timestamps and flags", L"D:P(A;;0x100;;;WD)", ObjectKind::kFile, "none"},
      // Links: whoever may write their reparse data may change where they lead.
      {"a link others may write attributes of", L"D:P(A;;0x100;;;WD)", ObjectKind::kLink, "change"},
      {"a link others may write data of (add files, for a junction)", L"D:P(A;;0x2;;;WD)", ObjectKind::kLink,
       "change"},
      {"a link others may read", L"D:P(A;;0x1200a9;;;WD)", ObjectKind::kLink, "none"},
  };
  for (const auto& row : rows) EXPECT_EQ(verdict(row.sddl, row.kind), row.want) << row.name;
}

TEST(SecurityDaclRule, EvidenceNamesTheAccountAndItsRights) {
  std::string evidence;
  ASSERT_EQ(verdict(L"D:P(A;;FA;;;SY)(A;;0x42;;;WD)(A;;FR;;;BU)", ObjectKind::kFolder, &evidence), "change");
  // The account name is the system's (localized on Windows); the SID and the rights are fixed.
  EXPECT_THAT(evidence, HasSubstr("(S-1-1-0): add-file, delete-child"));
  EXPECT_THAT(evidence, ::testing::Not(HasSubstr("S-1-5-18")));
  EXPECT_THAT(evidence, ::testing::Not(HasSubstr("S-1-5-32-545"))) << "reading is not evidence";

  ASSERT_EQ(verdict(L"D:P(A;;0x2;;;WD)", ObjectKind::kFile, &evidence), "change");
  EXPECT_THAT(evidence, HasSubstr("(S-1-1-0): write-data"));
}

// Built with SetSecurityDescriptorDacl rather than from "D:NO_ACCESS_CONTROL": Wine 8 parses that SDDL into
// an empty DACL (Windows gives a NULL one).
TEST(SecurityDaclRule, ANullDaclLetsEveryoneIn) {
  SECURITY_DESCRIPTOR sd{};
  ASSERT_TRUE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
  ASSERT_TRUE(SetSecurityDescriptorDacl(&sd, TRUE, nullptr, FALSE));
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = nullptr;
  ASSERT_TRUE(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
  ASSERT_EQ(dacl, nullptr);
  for (ObjectKind kind : {ObjectKind::kFolder, ObjectKind::kFile, ObjectKind::kLink}) {
    auto rights = others_rights(dacl, kind, trusted());
    EXPECT_TRUE(rights.may_change);
    EXPECT_EQ(rights.may_add, kind == ObjectKind::kFolder);
    EXPECT_EQ(rights.evidence, "no DACL (NULL DACL): everyone has full control");
  }
}

// ACEs SDDL cannot spell portably (conditional, object, compound, damaged), built byte by byte.
class RawAcl {
 public:
  RawAcl() : bytes_(8, 0) {}
  // An ACE of `type` with `mask`, `middle` bytes after the mask (object ACE flags and GUIDs), then `sid`.
  RawAcl& ace(BYTE type, BYTE flags, ACCESS_MASK mask, const std::vector<BYTE>& middle, const SidBytes& sid) {
    const std::size_t size = 8 + middle.size() + sid.size();
    std::vector<BYTE> ace(size, 0);
    ace[0] = type;
    ace[1] = flags;
    ace[2] = static_cast<BYTE>(size & 0xff);
    ace[3] = static_cast<BYTE>(size >> 8);
    std::memcpy(ace.data() + 4, &mask, 4);
    std::memcpy(ace.data() + 8, middle.data(), middle.size());
    std::memcpy(ace.data() + 8 + middle.size(), sid.data(), sid.size());
    bytes_.insert(bytes_.end(), ace.begin(), ace.end());
    ++count_;
    return *this;
  }
  const ACL* acl() {
    bytes_[0] = ACL_REVISION_DS;
    bytes_[2] = static_cast<BYTE>(bytes_.size() & 0xff);
    bytes_[3] = static_cast<BYTE>(bytes_.size() >> 8);
    bytes_[4] = static_cast<BYTE>(count_);
    return reinterpret_cast<const ACL*>(bytes_.data());
  }

 private:
  std::vector<BYTE> bytes_;
  int count_ = 0;
};

TEST(SecurityDaclRule, ConditionalObjectAndUnreadableAcesGrantLikePlainOnes) {
  const SidBytes everyone = sid(L"S-1-1-0");
  {
    RawAcl acl;
    acl.ace(ACCESS_ALLOWED_CALLBACK_ACE_TYPE, 0, FILE_ALL_ACCESS, {}, everyone);
    EXPECT_TRUE(others_rights(acl.acl(), ObjectKind::kFolder, trusted()).may_change) << "a conditional ACE";
  }
  {
    // ACCESS_ALLOWED_OBJECT_ACE: mask, flags (an object type GUID present), the GUID, then the SID.
    std::vector<BYTE> middle(4 + 16, 0);
    middle[0] = ACE_OBJECT_TYPE_PRESENT;
    RawAcl acl;
    acl.ace(ACCESS_ALLOWED_OBJECT_ACE_TYPE, 0, FILE_ADD_FILE, middle, everyone);
    auto rights = others_rights(acl.acl(), ObjectKind::kFolder, trusted());
    EXPECT_FALSE(rights.may_change);
    EXPECT_TRUE(rights.may_add) << "an object ACE's SID is after its GUIDs";
    EXPECT_THAT(rights.evidence, HasSubstr("(S-1-1-0): add-file"));
  }
  {
    RawAcl acl;
    acl.ace(ACCESS_ALLOWED_COMPOUND_ACE_TYPE, 0, FILE_WRITE_DATA, {}, everyone);
    auto rights = others_rights(acl.acl(), ObjectKind::kFile, trusted());
    EXPECT_TRUE(rights.may_change);
    EXPECT_THAT(rights.evidence, HasSubstr("an ACE of type 0x04 the rule cannot read"));
  }
  {
    RawAcl acl;
    acl.ace(ACCESS_ALLOWED_ACE_TYPE, 0, FILE_WRITE_DATA, {}, {});  // no room for a SID
    EXPECT_TRUE(others_rights(acl.acl(), ObjectKind::kFile, trusted()).may_change) << "a damaged ACE";
  }
  {
    RawAcl acl;
    acl.ace(ACCESS_ALLOWED_ACE_TYPE, INHERIT_ONLY_ACE | OBJECT_INHERIT_ACE, FILE_ALL_ACCESS, {}, everyone)
        .ace(SYSTEM_MANDATORY_LABEL_ACE_TYPE, 0, SYSTEM_MANDATORY_LABEL_NO_WRITE_UP, {}, sid(L"S-1-16-4096"));
    EXPECT_FALSE(others_rights(acl.acl(), ObjectKind::kFile, trusted()).may_change)
        << "inherit-only and label ACEs grant nothing";
  }
}

TEST(SecurityDaclRule, TrustsTheWellKnownAccountsAndThisProcess) {
  for (const wchar_t* text :
       {L"S-1-5-18", L"S-1-5-32-544", L"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
        kProcessUser}) {
    SidBytes bytes = sid(text);
    EXPECT_TRUE(trusted().contains(bytes.data())) << win::narrow(text);
  }
  for (const wchar_t* text :
       {L"S-1-1-0", L"S-1-5-19", L"S-1-5-20", L"S-1-5-32-545", L"S-1-5-21-1-2-3-1002"}) {
    SidBytes bytes = sid(text);
    EXPECT_FALSE(trusted().contains(bytes.data())) << win::narrow(text);
  }
  EXPECT_FALSE(trusted().contains(nullptr));
  // This process's own account (under Wine: the prefix's user, S-1-5-21-0-0-0-1000).
  HANDLE raw = nullptr;
  ASSERT_TRUE(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw));
  win::UniqueHandle token(raw);
  std::vector<BYTE> buffer(512);
  DWORD size = 0;
  ASSERT_TRUE(GetTokenInformation(raw, TokenUser, buffer.data(), static_cast<DWORD>(buffer.size()), &size));
  PSID me = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;
  EXPECT_TRUE(TrustedAccounts::of_this_process().contains(me)) << sid_string(me);
  if (!IsWellKnownSid(me, WinLocalSystemSid)) {
    EXPECT_FALSE(trusted().contains(me)) << "another TrustedAccounts does not know this process";
  }
}

TEST(SecurityDaclRule, NamesAccountsOrFallsBackToTheSid) {
  SidBytes system = sid(L"S-1-5-18");
  EXPECT_THAT(account_name(system.data()), HasSubstr("\\"));  // "NT AUTHORITY\SYSTEM", localized
  SidBytes unknown = sid(L"S-1-5-21-1-2-3-4242");
  EXPECT_EQ(account_name(unknown.data()), "S-1-5-21-1-2-3-4242");
  EXPECT_EQ(sid_string(system.data()), "S-1-5-18");
}

}  // namespace
}  // namespace rdpmend::security::windows
