#pragma once
// Port: files and folders opened under the trust rule (security/path_trust.h), by descriptor or handle.
// The walk opens each component relative to the folder before it without following links (Linux: openat
// with O_PATH | O_NOFOLLOW; Windows: FILE_FLAG_OPEN_REPARSE_POINT), judges what it opened, and follows a
// symlink only when the link passes the rule. Every decision is made on what was opened, never on a name
// checked earlier, and what the caller gets is the opened object itself: it reads, changes or writes
// through it, never through the name again. Files are opened without blocking (a FIFO never hangs the
// agent) and reads are bounded (kMaxReadBytes).
// linux/: openat/fstat; windows/: CreateFileW relative walk with the owner and DACL of each component.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "security/path_trust.h"

namespace rdpmend::security {

// An opened descriptor (Linux: a file descriptor; Windows: a HANDLE), closed by its destructor.
class NativeHandle {
 public:
  NativeHandle() = default;
  explicit NativeHandle(std::intptr_t value) : value_(value) {}
  ~NativeHandle();
  NativeHandle(NativeHandle&& other) noexcept : value_(other.release()) {}
  NativeHandle& operator=(NativeHandle&& other) noexcept;
  NativeHandle(const NativeHandle&) = delete;
  NativeHandle& operator=(const NativeHandle&) = delete;

  bool valid() const { return value_ != kInvalid; }
  std::intptr_t get() const { return value_; }
  std::intptr_t release() {
    auto v = value_;
    value_ = kInvalid;
    return v;
  }

  static constexpr std::intptr_t kInvalid = -1;

 private:
  std::intptr_t value_ = kInvalid;
};

// Which object a name led to (device and inode; Windows: volume serial and file index), to tell later
// whether a path still leads to the same object.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t object = 0;
  bool operator==(const FileIdentity&) const = default;
};

// A folder whose whole chain passed the rule.
struct TrustedFolder {
  NativeHandle handle;
  std::string path;  // the folder's real path (links resolved), for messages and evidence
  FileIdentity identity;
  // Others may add entries here but not remove or rename other accounts' (a sticky folder; Windows: add
  // without delete-child): an entry in it is only as trustworthy as its owner.
  bool others_may_only_add = false;
};

// A regular file opened for reading, its chain judged for the use it was opened for.
struct TrustedFile {
  NativeHandle handle;
  std::string path;  // the file's real path (links resolved)
  ComponentFacts facts;
  FileIdentity identity;
  std::uint64_t size = 0;
  bool through_link = false;  // the path's last component was a link (followed because it passed the rule)
};

// Opens `path` (absolute) for `use` (kContent or kChange), links followed where they pass the rule.
Trusted<TrustedFile> open_trusted_file(const std::string& path, Use use);

// Opens the folder `path` (absolute), links followed where they pass the rule.
Trusted<TrustedFolder> open_trusted_folder(const std::string& path);

// The entry `path` names, without following a link in its last component: the trusted folder that holds
// it and the name in that folder. Where the entry exists, `facts` says what it is (a symlink stays a
// symlink). For replacing or removing an entry: rename and unlink change the entry, never a link's target.
struct TrustedEntry {
  TrustedFolder folder;
  std::string name;
  std::optional<ComponentFacts> facts;  // absent: no such entry (yet)
};
Trusted<TrustedEntry> open_trusted_entry(const std::string& path);

// Reads the whole file (at most `limit` bytes; larger is kTooLarge).
Trusted<std::string> read_all(const TrustedFile& file, std::size_t limit = kMaxReadBytes);

// open_trusted_file(path, kContent) then read_all: for configuration-like files.
Trusted<std::string> read_trusted_file(const std::string& path, std::size_t limit = kMaxReadBytes);

// Writes `bytes` to a new file in `folder` (created exclusively, never through a link), then renames it
// over `name`: a reader sees the old file or the new one, whole. The new file gets `mode` (POSIX; Windows:
// the folder's inherited ACL) and, where `name` existed as a regular file, its owner and group.
Status replace_in_folder(const TrustedFolder& folder, std::string_view name, std::string_view bytes,
                         std::uint32_t mode = 0600);

// Whether `path` (absolute) is trusted for `use` now; nullopt when it is.
std::optional<Refused> check_trusted(const std::string& path, Use use);

}  // namespace rdpmend::security
