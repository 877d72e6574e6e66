#pragma once
// The trust rule (docs/SECURITY.md), portable: what one component of a path must be for a privileged
// process to believe what it reads there or to change something through it. The platform halves
// (security/linux/, security/windows/) open each component by descriptor or handle, describe it as a
// ComponentFacts and ask this rule; the rule itself never touches the OS.
//
// A path is trusted when every component, from the root down, is owned by a trusted account (root; on
// Windows SYSTEM, Administrators or TrustedInstaller; also the account this process runs as) and no one
// else can change it. A folder that others may add entries to but not remove or rename other accounts'
// entries (a root-owned sticky folder such as /tmp; on Windows a folder granting CreateFiles without
// DeleteChild) counts only when the next component is a trusted account's, since then no one else can
// rename or remove it. A symlink is followed only when the link is a trusted account's (and, on Windows,
// no one else may rewrite it) and every component of what it resolves to passes the same rule.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rdpmend::security {

// Why a path was refused. The ids (refusal_id) are the evidence that findings and audit entries carry.
enum class Refusal {
  kUntrustedOwner,    // a component is owned by another account
  kWritableByOthers,  // another account may change a component (its content, or a folder's entries)
  kNotRegularFile,    // a FIFO, device, socket or folder where a regular file was expected
  kNotFolder,         // a file where a folder was expected
  kHardLinked,        // more than one name: its permissions are never changed
  kTooLarge,          // larger than the read bound
  kTooManyLinks,      // symlink loop, or more than 40 links on the way
  kNotFound,          // a component does not exist
  kNotAbsolute,       // relative paths are resolved by the caller, never against a working folder
  kChanged,           // not what was recorded (another inode), or changed while it was opened
  kOsError,           // the OS refused to say (permission, I/O error): unknown is never trusted
};

std::string_view refusal_id(Refusal refusal);

// One refusal with its evidence: the path asked for, the component that failed and what it is.
struct Refused {
  Refusal reason = Refusal::kOsError;
  std::string path;       // the path asked for
  std::string component;  // the component that failed, as a full path ("/srv/xrdp")
  std::string owner;      // its owner (user name or SID name), group and mode where the OS has them
  std::string group;
  std::optional<std::uint32_t> mode;
  std::string detail;  // in words, with the OS error text where there is one

  // "refused: /srv/xrdp (owner xrdp, mode 0775) is writable by others"
  std::string message() const;
  Error to_error(std::string what) const;
};

template <typename T>
using Trusted = Result<T, Refused>;

// What a component is, as read from its opened descriptor or handle.
struct ComponentFacts {
  enum class Kind { kFolder, kRegularFile, kSymlink, kOther };
  std::string path;  // the component as a full path, for evidence
  Kind kind = Kind::kOther;
  bool owner_trusted = false;
  // Another account may change it: write a file, create, remove or rename a folder's entries, change its
  // permissions or owner.
  bool others_may_write = false;
  // A folder others may add entries to, but in which they cannot remove or rename other accounts' entries
  // (sticky bit; Windows: FILE_ADD_FILE / FILE_ADD_SUBDIRECTORY without FILE_DELETE_CHILD). Only
  // meaningful when others_may_write is false for everything else.
  bool others_may_only_add = false;
  std::uint64_t links = 1;  // hard link count
  std::string owner, group;
  std::optional<std::uint32_t> mode;
};

// What the caller does with the final component.
enum class Use {
  kFolder,   // a folder to create, replace or remove entries in
  kContent,  // a file whose content steers this process (configuration, xrdp.ini, a program it runs)
  kChange,   // a file whose permissions or content this process changes: its folders must be trusted, the
             // file itself a regular file (any owner: the service account may own its key)
};

// The rule for one component on the way (not the last), given whether its parent only lets others add
// entries (then this component must be a trusted account's).
std::optional<Refused> judge_folder_on_the_way(const ComponentFacts& facts, bool parent_only_add);

// The rule for a symlink met on the way or at the end: it must be a trusted account's (its folder was
// judged already), and no one else may change where it leads (a Windows link has a DACL of its own).
std::optional<Refused> judge_symlink(const ComponentFacts& facts, bool parent_only_add);

// The rule for the last component, by use.
std::optional<Refused> judge_final(const ComponentFacts& facts, bool parent_only_add, Use use);

// How many symlinks a walk may follow (the kernel's own limit, MAXSYMLINKS).
inline constexpr int kMaxSymlinks = 40;

// The largest file a trusted read returns; larger is refused with kTooLarge.
inline constexpr std::size_t kMaxReadBytes = 1024 * 1024;

// Evidence text for a mode: "0755".
std::string mode_text(std::uint32_t mode);

}  // namespace rdpmend::security
