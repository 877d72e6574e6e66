#pragma once
// Windows: opening and renaming relative to an opened folder (ntdll: NtCreateFile with RootDirectory,
// NtSetInformationFile(FileRenameInformation) with RootDirectory), so that a walk never resolves a name
// again from the drive root: what the folder handle refers to is what the name is looked up in, whatever
// has been renamed or swapped above it since. Win32 has no relative CreateFileW; these are the documented
// native calls its own CreateFileW and SetFileInformationByHandle end in.

#include <windows.h>

#include <string>
#include <string_view>

#include "security/trusted_file.h"

namespace rdpmend::security::windows {

// An NTSTATUS (negative: failed).
using NtStatus = LONG;

HANDLE handle_of(const NativeHandle& handle);

struct NtOpened {
  NativeHandle handle;  // valid when status succeeded
  NtStatus status = 0;
  bool ok() const { return status >= 0 && handle.valid(); }
};

// NtCreateFile(`name` relative to `folder`; an empty name reopens `folder` itself), case-insensitive as
// Win32 is. `security` (may be null) is the new object's security descriptor when one is created.
NtOpened open_relative(HANDLE folder, std::wstring_view name, ACCESS_MASK access, ULONG share,
                       ULONG disposition, ULONG options, PSECURITY_DESCRIPTOR security = nullptr);

// Renames the open `file` (opened with DELETE) to `name` in `folder`, over an existing entry when `replace`.
NtStatus rename_relative(HANDLE file, HANDLE folder, std::wstring_view name, bool replace);

// Marks the open `file` (opened with DELETE) for deletion when its last handle closes.
bool delete_on_close(HANDLE file);

bool is_not_found(NtStatus status);
// The status as Win32 explains it: "The system cannot find the file specified. (error 2) [0xC0000034]".
std::string status_text(NtStatus status);

inline constexpr NtStatus kOplockBreakInProgress = 0x00000108;

}  // namespace rdpmend::security::windows
