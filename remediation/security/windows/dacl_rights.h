#pragma once
// Windows: what accounts other than the trusted ones (accounts.h) may do to an object, read from its DACL:
// the Windows half of ComponentFacts::others_may_write and others_may_only_add (security/path_trust.h).
// Pure: a DACL in, a verdict with its evidence out; no file system.
//
// The rights that count, by kind of object:
//   - a file:   FILE_WRITE_DATA, FILE_APPEND_DATA, FILE_WRITE_EA, DELETE, WRITE_DAC, WRITE_OWNER,
//               FILE_DELETE_CHILD (meaningless on a file; counted all the same), GENERIC_WRITE, GENERIC_ALL;
//   - a folder: FILE_DELETE_CHILD, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_WRITE, GENERIC_ALL change it;
//               FILE_ADD_FILE and FILE_ADD_SUBDIRECTORY alone only add entries (the Windows sticky folder:
//               C:\, C:\ProgramData and MachineKeys are so by default). Others then cannot remove or rename
//               another account's entry (that needs DELETE on the entry or FILE_DELETE_CHILD here), which is
//               why the rule asks the next component to be a trusted account's, with no DELETE for others;
//   - a link (symlink or junction): the file rights and FILE_WRITE_ATTRIBUTES, because either
//               FILE_WRITE_DATA or FILE_WRITE_ATTRIBUTES lets its reparse data, where it leads, be rewritten
//               (FSCTL_SET_REPARSE_POINT, [MS-FSA] 2.1.5.10.37).
// Harmless everywhere else: FILE_WRITE_ATTRIBUTES on a file or folder (timestamps and the read-only, hidden,
// system and archive flags: they change neither the bytes read nor where a name leads; a read-only flag can
// only make a later replacement fail; turning the object into a link needs the same right, and a link is
// judged as a link when the walk meets it), FILE_WRITE_EA on a folder (its extended attributes change no
// entry; Users hold it on C:\ProgramData and Everyone on MachineKeys by default), and reading, listing,
// traversing, READ_CONTROL and SYNCHRONIZE.
//
// How the DACL is read:
//   - a NULL DACL (none at all) lets everyone do everything;
//   - inherit-only ACEs (INHERIT_ONLY_ACE) do not apply to the object itself and are skipped;
//   - CREATOR OWNER / CREATOR GROUP (and their SERVER forms) on the object itself match no token, and OWNER
//     RIGHTS applies to the owner, whom the rule judges separately: all skipped;
//   - deny ACEs are not credited: a grant counts even where a deny ACE before it might cancel it for some
//     callers (whether it does depends on order and on each caller's groups; conservative);
//   - a generic right in an ACE that applies is taken as the write it stands for (conservative: not mapped
//     down to a folder's add rights);
//   - conditional (callback) and object ACEs grant like plain ones; an allow ACE the rule cannot read
//     (compound, damaged) counts as granting its rights to someone else.

#include <windows.h>

#include <string>

#include "security/windows/accounts.h"

namespace rdpmend::security::windows {

enum class ObjectKind { kFolder, kFile, kLink };

struct OthersRights {
  bool may_change = false;  // another account may change it (see above)
  bool may_add = false;     // a folder: another account may add entries to it
  // Who may do what, for evidence: "Everyone (S-1-1-0): add-file, delete-child"; empty when no one.
  std::string evidence;
};

// `dacl` null: a NULL DACL.
OthersRights others_rights(const ACL* dacl, ObjectKind kind, const TrustedAccounts& trusted);

// The rights of `mask` that count for `kind` (changing or adding), as names: "add-file, delete-child".
std::string rights_text(ACCESS_MASK mask, ObjectKind kind);

}  // namespace rdpmend::security::windows
