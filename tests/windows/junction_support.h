#pragma once
// A junction (a mount-point reparse point, which Windows lets any user create on an empty folder they own),
// for the tests that check a link is refused or followed. Wine 8 cannot make one (FSCTL_SET_REPARSE_POINT
// is not supported): those tests say SKIPPED under Wine.

#include <windows.h>

#include <winioctl.h>

#include <cstring>
#include <string>
#include <vector>

namespace rdpmend::test_support {

// Creates the folder `link` and makes it a junction to `target` (an absolute path).
inline bool make_junction(const std::wstring& link, const std::wstring& target) {
  if (!CreateDirectoryW(link.c_str(), nullptr)) return false;
  const std::wstring substitute = L"\\??\\" + target;
  const std::size_t bytes = substitute.size() * sizeof(wchar_t);
  std::vector<BYTE> buffer(8 + 8 + bytes + 2 * sizeof(wchar_t));
  auto put16 = [&](std::size_t at, std::size_t v) {
    buffer[at] = static_cast<BYTE>(v & 0xff);
    buffer[at + 1] = static_cast<BYTE>((v >> 8) & 0xff);
  };
  const DWORD tag = IO_REPARSE_TAG_MOUNT_POINT;
  std::memcpy(buffer.data(), &tag, 4);
  put16(4, buffer.size() - 8);  // ReparseDataLength
  put16(8, 0);                  // SubstituteNameOffset
  put16(10, bytes);             // SubstituteNameLength
  put16(12, bytes + 2);         // PrintNameOffset
  put16(14, 0);                 // PrintNameLength
  std::memcpy(buffer.data() + 16, substitute.c_str(), bytes);
  HANDLE h = CreateFileW(link.c_str(), GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                         FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;
  DWORD returned = 0;
  const BOOL ok = DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, buffer.data(),
                                  static_cast<DWORD>(buffer.size()), nullptr, 0, &returned, nullptr);
  CloseHandle(h);
  return ok != FALSE;
}

}  // namespace rdpmend::test_support
