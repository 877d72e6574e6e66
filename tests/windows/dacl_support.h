#pragma once
// Security descriptors set by the Windows tests on what they made (under Wine, a DACL set here becomes Unix
// mode bits and is read back as the DACL those bits imply).

#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

#include <filesystem>
#include <string>
#include <vector>

#include "platform/windows/handles.h"

namespace rdpmend::test_support {

// A protected DACL set from SDDL through `set` (which gets the DACL), false when either step fails.
template <typename Set>
bool with_dacl_from_sddl(const std::wstring& sddl, Set set) {
  PSECURITY_DESCRIPTOR raw = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &raw, nullptr))
    return false;
  win::LocalPtr<void> sd(raw);
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(raw, &present, &dacl, &defaulted);
  return set(dacl) == ERROR_SUCCESS;
}

// The DACL of `path` (never through a link: the handle is opened on the link itself), protected, from SDDL.
inline bool set_dacl(const std::filesystem::path& path, const std::wstring& sddl) {
  win::UniqueHandle h =
      win::adopt_handle(CreateFileW(path.c_str(), READ_CONTROL | WRITE_DAC, 7, nullptr, OPEN_EXISTING,
                                    FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
  if (!h) return false;
  return with_dacl_from_sddl(sddl, [&](PACL dacl) {
    return SetSecurityInfo(h.get(), SE_FILE_OBJECT,
                           DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr, nullptr,
                           dacl, nullptr);
  });
}

// The same, by name (SetNamedSecurityInfoW), for a plain folder or file.
inline bool set_dacl_by_name(const std::filesystem::path& path, const std::wstring& sddl) {
  std::wstring name = path.wstring();
  return with_dacl_from_sddl(sddl, [&](PACL dacl) {
    return SetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT,
                                 DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr,
                                 nullptr, dacl, nullptr);
  });
}

// This process's own SID as text, for ACEs that keep the test's access to what it made.
inline std::wstring my_sid() {
  HANDLE raw = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return L"";
  win::UniqueHandle token(raw);
  std::vector<BYTE> buffer(512);
  DWORD size = 0;
  if (!GetTokenInformation(raw, TokenUser, buffer.data(), static_cast<DWORD>(buffer.size()), &size))
    return L"";
  wchar_t* text = nullptr;
  if (!ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid, &text)) return L"";
  win::LocalPtr<wchar_t> owned(text);
  return text;
}

}  // namespace rdpmend::test_support
