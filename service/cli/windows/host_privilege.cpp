#include "cli/host_privilege.h"

#include <shlobj.h>
#include <windows.h>

#include <filesystem>

#include "platform/windows/win_text.h"

namespace rdpmend::cli {

bool running_privileged() {
  // Administrators is a deny-only group in a filtered (non-elevated) token, so this is false there.
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  PSID administrators = nullptr;
  if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0,
                                0, &administrators))
    return false;
  BOOL member = FALSE;
  if (!CheckTokenMembership(nullptr, administrators, &member)) member = FALSE;
  FreeSid(administrators);
  return member != FALSE;
}

namespace {

std::wstring rdpmend_data_folder() {
  PWSTR folder = nullptr;
  std::wstring base = L"C:\\ProgramData";
  if (SUCCEEDED(SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &folder))) base = folder;
  CoTaskMemFree(folder);
  return base + L"\\RdpMend";
}

}  // namespace

std::string default_journal_path() {
  return win::narrow(rdpmend_data_folder() + L"\\journal.db");
}

std::string default_log_folder() {
  return win::narrow(rdpmend_data_folder() + L"\\logs");
}

Status ensure_journal_folder(const std::string& journal_path) {
  // The MSI creates the folder with its SYSTEM/Administrators ACL; a development run creates it, and the
  // journal file gets its own protected DACL (journal/file_protection.h).
  auto folder = std::filesystem::path(win::widen(journal_path)).parent_path();
  if (folder.empty()) return Ok{};
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Error{"create the journal folder", win::narrow(folder.wstring()), ec.message()};
  return Ok{};
}

}  // namespace rdpmend::cli
