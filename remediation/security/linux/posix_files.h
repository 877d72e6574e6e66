#pragma once
// Linux: what the xrdp actions do through a trusted folder or file (security/trusted_file.h) that has
// POSIX owners and modes. Every call works on the opened descriptors (the *at system calls), never on a
// path name again.

#include <string>
#include <string_view>

#include "common/result.h"
#include "security/trusted_file.h"

namespace rdpmend::security {

int fd_of(const NativeHandle& handle);

// The account names behind ids, for evidence ("xrdp", or the number when there is no such account).
std::string user_name(unsigned uid);
std::string group_name(unsigned gid);

// Writes a new file in `folder` (O_EXCL, owner and mode set before the first byte), then renames it over
// `name`, and syncs the folder.
Status replace_file(const TrustedFolder& folder, std::string_view name, std::string_view bytes, unsigned uid,
                    unsigned gid, unsigned mode);

// Replaces the entry `name` with a symlink to `target`, owned by uid:gid (rename: atomic).
Status replace_with_symlink(const TrustedFolder& folder, std::string_view name, const std::string& target,
                            unsigned uid, unsigned gid);

// Removes the entry `name` (a file or a link, never a folder); absent is done already.
Status remove_entry(const TrustedFolder& folder, std::string_view name);

// The target text of the symlink `name` in `folder`.
Result<std::string> read_symlink(const TrustedFolder& folder, std::string_view name);

}  // namespace rdpmend::security
