#include "security/windows/nt_files.h"

#include <winternl.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "platform/windows/win_text.h"

namespace rdpmend::security::windows {
namespace {

constexpr NtStatus kObjectNameNotFound = static_cast<NtStatus>(0xC0000034L);
constexpr NtStatus kObjectPathNotFound = static_cast<NtStatus>(0xC000003AL);
constexpr NtStatus kNoSuchFile = static_cast<NtStatus>(0xC000000FL);
constexpr NtStatus kNameTooLong = static_cast<NtStatus>(0xC0000106L);

}  // namespace

HANDLE handle_of(const NativeHandle& handle) {
  return reinterpret_cast<HANDLE>(handle.get());
}

NtOpened open_relative(HANDLE folder, std::wstring_view name, ACCESS_MASK access, ULONG share,
                       ULONG disposition, ULONG options, PSECURITY_DESCRIPTOR security) {
  NtOpened out;
  // UNICODE_STRING lengths are 16-bit byte counts.
  if (name.size() > 32767) {
    out.status = kNameTooLong;
    return out;
  }
  UNICODE_STRING text;
  text.Buffer = const_cast<wchar_t*>(name.data());
  text.Length = text.MaximumLength = static_cast<USHORT>(name.size() * sizeof(wchar_t));
  OBJECT_ATTRIBUTES attributes;
  InitializeObjectAttributes(&attributes, &text, OBJ_CASE_INSENSITIVE, folder, security);
  IO_STATUS_BLOCK io{};
  HANDLE opened = nullptr;
  out.status = NtCreateFile(&opened, access, &attributes, &io, nullptr, FILE_ATTRIBUTE_NORMAL, share,
                            disposition, options, nullptr, 0);
  if (out.status >= 0 && opened) out.handle = NativeHandle(reinterpret_cast<std::intptr_t>(opened));
  return out;
}

NtStatus rename_relative(HANDLE file, HANDLE folder, std::wstring_view name, bool replace) {
  // FILE_RENAME_INFORMATION ends in the name (FileNameLength bytes, no terminator needed).
  const std::size_t bytes = name.size() * sizeof(wchar_t);
  std::vector<BYTE> buffer(sizeof(FILE_RENAME_INFORMATION) + bytes);
  auto* info = reinterpret_cast<FILE_RENAME_INFORMATION*>(buffer.data());
  info->ReplaceIfExists = replace ? TRUE : FALSE;
  info->RootDirectory = folder;
  info->FileNameLength = static_cast<ULONG>(bytes);
  std::memcpy(info->FileName, name.data(), bytes);
  IO_STATUS_BLOCK io{};
  return NtSetInformationFile(file, &io, info, static_cast<ULONG>(buffer.size()), FileRenameInformation);
}

bool delete_on_close(HANDLE file) {
  FILE_DISPOSITION_INFO disposition{};
  disposition.DeleteFile = TRUE;
  return SetFileInformationByHandle(file, FileDispositionInfo, &disposition, sizeof disposition) != 0;
}

bool is_not_found(NtStatus status) {
  return status == kObjectNameNotFound || status == kObjectPathNotFound || status == kNoSuchFile;
}

std::string status_text(NtStatus status) {
  const ULONG code = RtlNtStatusToDosError(status);
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08lX", static_cast<unsigned long>(static_cast<ULONG>(status)));
  // ERROR_MR_MID_NOT_FOUND: no Win32 equivalent.
  if (code == ERROR_MR_MID_NOT_FOUND) return std::string("NTSTATUS ") + hex;
  return win::error_text(code) + " [" + hex + "]";
}

}  // namespace rdpmend::security::windows
