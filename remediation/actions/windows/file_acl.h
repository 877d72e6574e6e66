#pragma once
// A file's or folder's security descriptor, read and written through one handle that never follows a link:
// the handle is opened with FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, and what it points at
// is judged from the handle itself (a junction or symlink, the wrong kind of object, or a file with more than
// one hard link is refused), so a link swapped in after the check changes nothing; the folders above it
// pass the trust rule and are held by handle. The descriptor is written
// with SetKernelObjectSecurity on that handle: the object only, no propagation to the files inside (both
// SetNamedSecurityInfo and SetSecurityInfo re-apply inheritance below a folder), and no inherited ACEs merged
// in, so a rollback puts back exactly the SDDL it saved. Used by repair-machinekeys-acl and
// repair-rdp-key-acl.

#include <windows.h>

#include <string>

#include "common/result.h"
#include "platform/windows/handles.h"

namespace rdpmend::actions::windows {

enum class ObjectKind { kFolder, kFile };

// Ok when the attributes read on the handle describe the expected object: not a reparse point (junction,
// symlink, mount point), a folder for kFolder, a file with exactly one name for kFile (a hard link to
// another file would make the repair change that file).
Status check_object(const BY_HANDLE_FILE_INFORMATION& info, ObjectKind kind, const std::string& what,
                    const std::string& path);

// Opens `path` for READ_CONTROL (and WRITE_DAC | WRITE_OWNER when `for_writing`) without following a
// link, relative to the handle of its folder, whose chain from the drive root passes the trust rule
// (security/trusted_file.h); in a folder where others may add entries, only an entry of a trusted account.
// The backup and restore privileges are enabled on this thread while it opens (a broken DACL must not lock
// the repair out); then check_object.
Result<win::UniqueHandle> open_object(const std::wstring& path, ObjectKind kind, bool for_writing,
                                      const std::string& what);

// Owner, group and DACL as SDDL ("O:..G:..D:..").
Result<std::string> read_sddl(HANDLE object, const std::string& what, const std::string& path);

// Owner, group and DACL from SDDL, protected or not as the SDDL says (P), on the object only. The SDDL must
// state all three; a NULL DACL (D:NO_ACCESS_CONTROL) is refused.
Status write_sddl(HANDLE object, const std::string& sddl, const std::string& what, const std::string& path);

// Case-insensitive equality of two paths, ignoring a trailing separator and '/' vs '\'.
bool same_path(const std::wstring& a, const std::wstring& b);

}  // namespace rdpmend::actions::windows
