#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

#include <memory>

#include "journal/file_protection.h"
#include "platform/windows/win_text.h"
#include "security/sddl.h"

namespace rdpmend::journal {
namespace {

// SYSTEM and Administrators full control, not inheriting anything from the folder.
constexpr wchar_t kJournalSddl[] = L"D:P(A;;FA;;;SY)(A;;FA;;;BA)";
constexpr char kSystemSid[] = "S-1-5-18";
constexpr char kAdministratorsSid[] = "S-1-5-32-544";

struct LocalFreeDeleter {
  void operator()(void* p) const noexcept { LocalFree(p); }
};
using LocalPtr = std::unique_ptr<void, LocalFreeDeleter>;

Result<LocalPtr> journal_security_descriptor() {
  PSECURITY_DESCRIPTOR raw = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(kJournalSddl, SDDL_REVISION_1, &raw, nullptr))
    return Error{"build the journal's security descriptor", win::narrow(kJournalSddl),
                 win::error_text(GetLastError())};
  return LocalPtr(raw);
}

// The account this process runs as (SYSTEM for the service, an elevated administrator for the CLI): it
// already has the journal open, so an ACE for it is no wider access. "" when it cannot be read.
std::string current_user_sid() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return {};
  std::unique_ptr<void, decltype(&CloseHandle)> owned_token(token, &CloseHandle);
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  if (size == 0) return {};
  std::unique_ptr<BYTE[]> buffer(new BYTE[size]);
  if (!GetTokenInformation(token, TokenUser, buffer.get(), size, &size)) return {};
  wchar_t* raw_sid = nullptr;
  if (!ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.get())->User.Sid, &raw_sid)) return {};
  LocalPtr sid(raw_sid);
  return win::narrow(raw_sid);
}

bool exists(const std::wstring& file) {
  return GetFileAttributesW(file.c_str()) != INVALID_FILE_ATTRIBUTES;
}

// Refused: a reparse point, a null DACL, or an allow ACE for anyone but SYSTEM, Administrators and the
// account this process runs as.
Status check_existing(const std::wstring& file) {
  const std::string name = win::narrow(file);
  const char* const kWhat = "check the journal file's permissions";
  const DWORD attributes = GetFileAttributesW(file.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) return Error{kWhat, name, win::error_text(GetLastError())};
  if (attributes & FILE_ATTRIBUTE_REPARSE_POINT)
    return Error{kWhat, name, "refused: it is a link (reparse point)"};
  if (attributes & FILE_ATTRIBUTE_DIRECTORY) return Error{kWhat, name, "refused: it is a folder"};

  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR raw_sd = nullptr;
  const DWORD rc = GetNamedSecurityInfoW(file.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                                         nullptr, &dacl, nullptr, &raw_sd);
  LocalPtr sd(raw_sd);
  if (rc != ERROR_SUCCESS) return Error{kWhat, name, "read its DACL: " + win::error_text(rc)};
  wchar_t* raw_text = nullptr;
  if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(sd.get(), SDDL_REVISION_1,
                                                            DACL_SECURITY_INFORMATION, &raw_text, nullptr))
    return Error{kWhat, name, "convert its DACL to SDDL: " + win::error_text(GetLastError())};
  LocalPtr text(raw_text);
  const std::string sddl = win::narrow(raw_text);
  auto parsed = security::parse_sddl(sddl);
  if (!parsed) return Error{kWhat, name, parsed.error().message()};
  const auto& descriptor = parsed.value();
  if (!descriptor.dacl || descriptor.dacl->is_null)
    return Error{kWhat, name, "refused: it has no DACL, so everyone has full access"};
  const std::string self = current_user_sid();
  for (const auto& ace : descriptor.dacl->aces) {
    if (ace.type != "A" && ace.type != "OA") continue;
    if (ace.sid != kSystemSid && ace.sid != kAdministratorsSid && (self.empty() || ace.sid != self))
      return Error{kWhat, name,
                   "refused: its DACL " + sddl + " gives " + security::display_sid(ace.sid) +
                       " access (it holds backups of security settings); expected " +
                       win::narrow(kJournalSddl)};
  }
  return Ok{};
}

Status apply_dacl(const std::wstring& file) {
  auto sd = journal_security_descriptor();
  if (!sd) return sd.error();
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  if (!GetSecurityDescriptorDacl(sd.value().get(), &present, &dacl, &defaulted))
    return Error{"read the journal's DACL", win::narrow(file), win::error_text(GetLastError())};
  const DWORD rc = SetNamedSecurityInfoW(const_cast<wchar_t*>(file.c_str()), SE_FILE_OBJECT,
                                         DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                         nullptr, nullptr, dacl, nullptr);
  if (rc != ERROR_SUCCESS)
    return Error{"restrict the journal file to SYSTEM and Administrators", win::narrow(file),
                 win::error_text(rc)};
  return Ok{};
}

// Creates an empty file with the journal's DACL from its first moment.
Status create_protected(const std::wstring& file) {
  auto sd = journal_security_descriptor();
  if (!sd) return sd.error();
  SECURITY_ATTRIBUTES attributes{sizeof(SECURITY_ATTRIBUTES), sd.value().get(), FALSE};
  HANDLE handle = CreateFileW(file.c_str(), GENERIC_READ | GENERIC_WRITE, 0, &attributes, CREATE_NEW,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
  if (handle == INVALID_HANDLE_VALUE)
    return Error{"create the journal file", win::narrow(file), win::error_text(GetLastError())};
  CloseHandle(handle);
  return Ok{};
}

}  // namespace

Status prepare_database_file(const std::string& path) {
  const std::wstring file = win::widen(path);
  if (!exists(file)) {
    // An empty file is an empty SQLite database; creating it here gives it its DACL from the start.
    if (auto created = create_protected(file); !created) return created;
  } else {
    if (auto checked = check_existing(file); !checked) return checked;
  }
  for (const wchar_t* suffix : {L"-wal", L"-shm", L"-journal"}) {
    const std::wstring companion = file + suffix;
    if (!exists(companion)) continue;
    if (auto checked = check_existing(companion); !checked) return checked;
  }
  // An empty -wal and -shm are valid to SQLite, which opens existing ones: made here, they never carry the
  // folder's inherited ACL, not even for a moment, and a crash leaves them protected.
  for (const wchar_t* suffix : {L"-wal", L"-shm"}) {
    const std::wstring companion = file + suffix;
    if (exists(companion)) continue;
    if (auto created = create_protected(companion); !created) return created;
  }
  return Ok{};
}

Status protect_companion_files(const std::string& path) {
  // SQLite's Windows VFS creates -wal/-shm with the folder's inherited ACL: give them the journal's DACL.
  const std::wstring file = win::widen(path);
  for (const wchar_t* suffix : {L"-wal", L"-shm"}) {
    const std::wstring companion = file + suffix;
    if (!exists(companion)) continue;
    // Made by prepare_database_file, they are protected already; rewriting the DACL would only let Wine
    // recompute the file mode from it, wider than the one it was created with.
    if (check_existing(companion)) continue;
    if (auto applied = apply_dacl(companion); !applied) return applied;
  }
  return Ok{};
}

Result<bool> install_new_database(const std::string& from, const std::string& to) {
  // A move inside the folder keeps the draft's protected DACL.
  if (MoveFileExW(win::widen(from).c_str(), win::widen(to).c_str(), MOVEFILE_WRITE_THROUGH)) return true;
  const DWORD error = GetLastError();
  if (error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS) return false;
  return Error{"put the new journal in place", to, "move from " + from + ": " + win::error_text(error)};
}

}  // namespace rdpmend::journal
