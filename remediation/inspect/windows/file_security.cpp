#include "inspect/windows/file_security.h"

#include <windows.h>

#include <aclapi.h>
#include <knownfolders.h>
#include <sddl.h>
#include <shlobj.h>

#include <memory>

#include "inspect/windows/status_text.h"
#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"
#include "security/sddl.h"

namespace rdpmend::inspect::windows {
namespace {

using win::LocalPtr;

// "NT AUTHORITY\SYSTEM" for S-1-5-18; the SID itself when the system cannot name it.
std::string account_name(const std::string& sid_text) {
  PSID raw = nullptr;
  if (!ConvertStringSidToSidW(win::widen(sid_text).c_str(), &raw)) return sid_text;
  LocalPtr<void> sid(raw);
  wchar_t name[256], domain[256];
  DWORD name_size = 256, domain_size = 256;
  SID_NAME_USE use;
  if (!LookupAccountSidW(nullptr, sid.get(), name, &name_size, domain, &domain_size, &use)) return sid_text;
  std::wstring full = domain_size ? std::wstring(domain) + L"\\" + name : std::wstring(name);
  return win::narrow(full);
}

std::optional<std::string> sid_of_account(const wchar_t* account) {
  BYTE buffer[SECURITY_MAX_SID_SIZE];
  DWORD sid_size = sizeof buffer;
  wchar_t domain[256];
  DWORD domain_size = 256;
  SID_NAME_USE use;
  if (!LookupAccountNameW(nullptr, account, buffer, &sid_size, domain, &domain_size, &use))
    return std::nullopt;
  wchar_t* text = nullptr;
  if (!ConvertSidToStringSidW(buffer, &text)) return std::nullopt;
  LocalPtr<wchar_t> owned(text);
  return security::canonical_sid(win::narrow(text));
}

Result<std::wstring> crypto_folder(const wchar_t* sub) {
  auto base = program_data_folder();
  if (!base) return base.error();
  return base.value() + sub;
}

}  // namespace

const std::vector<std::string>& network_service_sids() {
  static const std::vector<std::string> sids = [] {
    std::vector<std::string> out{"S-1-5-20", "S-1-1-0",  "S-1-5-32-545", "S-1-5-6",
                                 "S-1-5-11", "S-1-5-15", "S-1-2-0",      "S-1-2-1"};
    if (auto service = sid_of_account(L"NT SERVICE\\TermService")) out.push_back(*service);
    return out;
  }();
  return sids;
}

FileState inspect_file_security(const std::wstring& path, const std::vector<std::string>& service_sids) {
  FileState state;
  state.path = win::narrow(path);
  // Never follows a link: FILE_FLAG_OPEN_REPARSE_POINT opens the junction or symlink itself, and
  // FILE_FLAG_BACKUP_SEMANTICS lets a folder be opened. READ_CONTROL is all that is needed for the DACL.
  win::UniqueHandle file = win::adopt_handle(
      CreateFileW(path.c_str(), READ_CONTROL, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                  OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
  if (!file) {
    DWORD code = GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) return state;
    // It may exist and still refuse READ_CONTROL: say so, and whether it is a link, from its attributes.
    DWORD attributes = GetFileAttributesW(path.c_str());
    if (attributes != INVALID_FILE_ATTRIBUTES) {
      state.exists = true;
      state.is_link = (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    }
    state.error = "open '" + state.path + "' to read its permissions: " + win::error_text(code);
    return state;
  }
  state.exists = true;
  BY_HANDLE_FILE_INFORMATION info{};
  if (GetFileInformationByHandle(file.get(), &info)) {
    state.is_link = (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
  } else {
    state.error = "read the attributes of '" + state.path + "': " + win::error_text(GetLastError());
    return state;
  }

  constexpr SECURITY_INFORMATION kWhat =
      OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
  PSECURITY_DESCRIPTOR raw_sd = nullptr;
  DWORD rc = GetSecurityInfo(file.get(), SE_FILE_OBJECT, kWhat, nullptr, nullptr, nullptr, nullptr, &raw_sd);
  LocalPtr<void> sd(raw_sd);
  if (rc != ERROR_SUCCESS) {
    state.error = "read the security descriptor of '" + state.path + "': " + win::error_text(rc);
    return state;
  }
  wchar_t* raw_text = nullptr;
  if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(sd.get(), SDDL_REVISION_1, kWhat, &raw_text,
                                                            nullptr)) {
    state.error =
        "convert the security descriptor of '" + state.path + "' to SDDL: " + win::error_text(GetLastError());
    return state;
  }
  LocalPtr<wchar_t> text(raw_text);
  state.sddl = win::narrow(raw_text);

  auto parsed = security::parse_sddl(state.sddl);
  if (!parsed) {
    state.error = parsed.error().message();
    return state;
  }
  if (parsed.value().owner) state.owner = account_name(*parsed.value().owner);
  if (parsed.value().group) state.group = account_name(*parsed.value().group);
  state.readable_by_service = security::check_access(parsed.value(), service_sids, GENERIC_READ).allowed;
  return state;
}

Result<std::wstring> program_data_folder() {
  wchar_t* raw = nullptr;
  HRESULT hr = SHGetKnownFolderPath(FOLDERID_ProgramData, KF_FLAG_DONT_VERIFY, nullptr, &raw);
  std::unique_ptr<wchar_t, decltype(&CoTaskMemFree)> owned(raw, &CoTaskMemFree);
  if (FAILED(hr) || !raw)
    return Error{"find the ProgramData folder", "FOLDERID_ProgramData", status_text(hr)};
  return std::wstring(raw);
}

Result<std::wstring> rsa_machine_keys_folder() {
  return crypto_folder(L"\\Microsoft\\Crypto\\RSA\\MachineKeys");
}

Result<std::wstring> cng_machine_keys_folder() {
  return crypto_folder(L"\\Microsoft\\Crypto\\Keys");
}

}  // namespace rdpmend::inspect::windows
