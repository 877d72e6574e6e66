#include "actions/windows/file_acl.h"

#include <aclapi.h>
#include <sddl.h>
#include <winternl.h>

#include <vector>

#include "platform/windows/win_text.h"
#include "security/sddl.h"
#include "security/trusted_file.h"
#include "security/windows/nt_files.h"

namespace rdpmend::actions::windows {
namespace {

constexpr SECURITY_INFORMATION kOwnerGroupDacl =
    OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
constexpr std::size_t kMaxSddl = 64 * 1024;

// Enables privileges on this thread only, for as long as it lives: the thread impersonates a copy of the
// process token (ImpersonateSelf) with the privileges enabled, and goes back to what it was doing before
// (its previous impersonation token, or none). Privileges the token does not hold are simply not enabled:
// the operation that needs them then fails with the OS's own error.
class ThreadPrivileges {
 public:
  explicit ThreadPrivileges(std::initializer_list<const wchar_t*> names) {
    HANDLE previous = nullptr;
    if (OpenThreadToken(GetCurrentThread(), TOKEN_IMPERSONATE, TRUE, &previous)) previous_.reset(previous);
    if (previous_) return;  // already impersonating someone: keep that identity, do not widen it
    if (!ImpersonateSelf(SecurityImpersonation)) return;
    impersonating_ = true;
    HANDLE token = nullptr;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, TRUE, &token)) return;
    win::UniqueHandle owned(token);
    for (const wchar_t* name : names) {
      TOKEN_PRIVILEGES tp{};
      tp.PrivilegeCount = 1;
      tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
      if (LookupPrivilegeValueW(nullptr, name, &tp.Privileges[0].Luid))
        AdjustTokenPrivileges(token, FALSE, &tp, 0, nullptr, nullptr);
    }
  }
  ThreadPrivileges(const ThreadPrivileges&) = delete;
  ThreadPrivileges& operator=(const ThreadPrivileges&) = delete;
  ~ThreadPrivileges() {
    if (impersonating_) RevertToSelf();
  }

 private:
  win::UniqueHandle previous_;
  bool impersonating_ = false;
};

const wchar_t* const kRestore = L"SeRestorePrivilege";
const wchar_t* const kBackup = L"SeBackupPrivilege";
const wchar_t* const kTakeOwnership = L"SeTakeOwnershipPrivilege";

std::wstring normalized(std::wstring p) {
  for (auto& c : p)
    if (c == L'/') c = L'\\';
  while (p.size() > 3 && p.back() == L'\\') p.pop_back();
  return p;
}

}  // namespace

Status check_object(const BY_HANDLE_FILE_INFORMATION& info, ObjectKind kind, const std::string& what,
                    const std::string& path) {
  if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
    return Error{what, path,
                 "refused: it is a reparse point (junction or symbolic link); permissions are never changed "
                 "through a link, and nothing is renamed"};
  const bool folder = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
  if (kind == ObjectKind::kFolder && !folder) return Error{what, path, "refused: it is not a folder"};
  if (kind == ObjectKind::kFile && folder)
    return Error{what, path, "refused: it is a folder, not a key file"};
  if (kind == ObjectKind::kFile && info.nNumberOfLinks != 1)
    return Error{what, path,
                 "refused: the file has " + std::to_string(info.nNumberOfLinks) +
                     " names (hard links); changing its permissions would change another file's"};
  return Ok{};
}

Result<win::UniqueHandle> open_object(const std::wstring& path, ObjectKind kind, bool for_writing,
                                      const std::string& what) {
  const std::string name = win::narrow(path);
  if (path.empty()) return Error{what, name, "no path"};
  // Every folder above the object passes the trust rule, walked by handle from the drive root (a junction on
  // the way is followed only where it passes too); the object is then opened relative to the last of those
  // handles, so no folder can be swapped between the judgement and the change.
  auto entry = security::open_trusted_entry(name);
  if (!entry) return entry.error().to_error(what);
  const security::TrustedEntry& found = entry.value();
  if (!found.facts) return Error{what, name, "it does not exist"};
  // Where others may add entries (MachineKeys lets Everyone create key files), an entry another account made
  // is that account's: its permissions are not this repair's to change.
  if (found.folder.others_may_only_add && !found.facts->owner_trusted)
    return Error{what, name,
                 "refused: it is owned by " + found.facts->owner + " in " + found.folder.path +
                     ", where others may add entries; only an entry of SYSTEM, Administrators or "
                     "TrustedInstaller is changed there"};
  const ACCESS_MASK access =
      READ_CONTROL | FILE_READ_ATTRIBUTES | SYNCHRONIZE | (for_writing ? WRITE_DAC | WRITE_OWNER : 0);
  security::windows::NtOpened opened;
  {
    ThreadPrivileges privileges{kRestore, kBackup, kTakeOwnership};
    opened = security::windows::open_relative(
        security::windows::handle_of(found.folder.handle), win::widen(found.name), access,
        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
        FILE_OPEN_REPARSE_POINT | FILE_OPEN_FOR_BACKUP_INTENT | FILE_SYNCHRONOUS_IO_NONALERT);
  }
  if (!opened.ok())
    return Error{what, name,
                 "open without following links: " + security::windows::status_text(opened.status)};
  win::UniqueHandle handle(reinterpret_cast<HANDLE>(opened.handle.release()));
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(handle.get(), &info))
    return Error{what, name, "read its attributes: " + win::error_text(GetLastError())};
  if (auto ok = check_object(info, kind, what, name); !ok) return ok.error();
  return handle;
}

Result<std::string> read_sddl(HANDLE object, const std::string& what, const std::string& path) {
  PSECURITY_DESCRIPTOR raw = nullptr;
  const DWORD rc =
      GetSecurityInfo(object, SE_FILE_OBJECT, kOwnerGroupDacl, nullptr, nullptr, nullptr, nullptr, &raw);
  win::LocalPtr<void> sd(raw);
  if (rc != ERROR_SUCCESS) return Error{what, path, "read its security descriptor: " + win::error_text(rc)};
  wchar_t* text = nullptr;
  if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(sd.get(), SDDL_REVISION_1, kOwnerGroupDacl, &text,
                                                            nullptr))
    return Error{what, path, "convert its security descriptor to SDDL: " + win::error_text(GetLastError())};
  win::LocalPtr<wchar_t> owned(text);
  return win::narrow(text);
}

Status write_sddl(HANDLE object, const std::string& sddl, const std::string& what, const std::string& path) {
  if (sddl.size() > kMaxSddl) return Error{what, path, "refused: the SDDL is longer than 64 KiB"};
  auto parsed = security::parse_sddl(sddl);
  if (!parsed) return Error{what, path, "refused: " + parsed.error().message()};
  const auto& d = parsed.value();
  if (!d.owner || !d.group || !d.dacl)
    return Error{what, path, "refused: the SDDL '" + sddl + "' does not state owner, group and DACL"};
  if (d.dacl->is_null)
    return Error{what, path, "refused: the SDDL '" + sddl + "' has no DACL at all (everyone full access)"};
  PSECURITY_DESCRIPTOR raw = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(win::widen(sddl).c_str(), SDDL_REVISION_1, &raw,
                                                            nullptr))
    return Error{what, path,
                 "convert '" + sddl + "' to a security descriptor: " + win::error_text(GetLastError())};
  win::LocalPtr<void> sd(raw);
  const SECURITY_INFORMATION info =
      kOwnerGroupDacl |
      (d.dacl->is_protected ? PROTECTED_DACL_SECURITY_INFORMATION : UNPROTECTED_DACL_SECURITY_INFORMATION);
  // Giving the object to SYSTEM (or back to its earlier owner) needs the restore privilege.
  ThreadPrivileges privileges{kRestore, kTakeOwnership};
  if (!SetKernelObjectSecurity(object, info, sd.get()))
    return Error{what, path,
                 "set its security descriptor to " + sddl + ": " + win::error_text(GetLastError())};
  return Ok{};
}

bool same_path(const std::wstring& a, const std::wstring& b) {
  const std::wstring x = normalized(a), y = normalized(b);
  return CompareStringOrdinal(x.c_str(), static_cast<int>(x.size()), y.c_str(), static_cast<int>(y.size()),
                              TRUE) == CSTR_EQUAL;
}

}  // namespace rdpmend::actions::windows
