#pragma once
// Port: who may read and write the journal's files. The journal records backups of security settings and
// steers a privileged process, so only the system may touch it.
// The folder passes the trust rule first (Journal::open, security/trusted_file.h).
// linux/: created with mode 0600 (owned by root when running as root); an existing file that anyone but its
// owner may read or write, a file not owned by root while running as root, or a link, is refused.
// windows/: created with the protected DACL D:P(A;;FA;;;SY)(A;;FA;;;BA) (SYSTEM and Administrators only);
// an existing file whose DACL grants access to anyone but them and the account this process runs as is
// refused; SQLite's -wal/-shm (created with the folder's inherited ACL) are given the same DACL after
// opening. Never loosens anything; the parent folder must exist.

#include <string>

#include "common/result.h"

namespace rdpmend::journal {

// Before the database is opened: create `path` protected if it is missing, else check it (and its -wal/-shm
// companions when they exist).
Status prepare_database_file(const std::string& path);

// After the database is opened: the -wal/-shm files SQLite created are protected like the database.
Status protect_companion_files(const std::string& path);

// Puts a newly built, closed database `from` at `to` in one step, never replacing anything: false when `to`
// exists already (`from` is then left for the caller to remove). Durable when it returns true.
// linux/: renameat2(RENAME_NOREPLACE), or link + unlink where the file system has no such rename, then the
// folder is synced. windows/: MoveFileExW with MOVEFILE_WRITE_THROUGH and without MOVEFILE_REPLACE_EXISTING.
Result<bool> install_new_database(const std::string& from, const std::string& to);

}  // namespace rdpmend::journal
