// Windows half of security/trusted_file.h: the walk from the drive root, one component at a time, each opened
// relative to the folder handle before it (NtCreateFile with RootDirectory, security/windows/nt_files.h)
// without following a reparse point (FILE_OPEN_REPARSE_POINT), and judged on what that handle says: its
// attributes, link count and identity (GetFileInformationByHandle), its owner and DACL (GetSecurityInfo on
// the handle, read by security/windows/dacl_rights.h). A name is never resolved twice: a folder renamed or
// swapped above the walk after it was opened changes nothing for the handles already held.
//
// What a name leads to is the object store's answer in this process's logon session: the drive letter (an
// object manager link in \??\ of this session, which only this account and administrators can define) and
// every component below it. Names are taken as given, without the trailing dot and space stripping Win32
// does (a name NTFS does not find is not found), and a "name:stream" component is refused, never opened.

#include "security/trusted_file.h"

#include <windows.h>

#include <aclapi.h>
#include <winioctl.h>
#include <winternl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <random>
#include <vector>

#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"
#include "security/windows/accounts.h"
#include "security/windows/dacl_rights.h"
#include "security/windows/nt_files.h"

namespace rdpmend::security {
namespace {

using windows::handle_of;
using windows::open_relative;
using windows::status_text;

// Enough to judge an object and to open below it; an open with only these rights never breaks an oplock.
constexpr ACCESS_MASK kLookAccess = READ_CONTROL | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
constexpr ULONG kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
constexpr ULONG kLookOptions =
    FILE_OPEN_REPARSE_POINT | FILE_OPEN_FOR_BACKUP_INTENT | FILE_SYNCHRONOUS_IO_NONALERT;

Refused refusal(Refusal reason, std::string component, std::string detail) {
  Refused r;
  r.reason = reason;
  r.component = std::move(component);
  r.detail = std::move(detail);
  return r;
}

Refused with_path(Refused r, const std::string& path) {
  r.path = path;
  return r;
}

std::string join(const std::string& folder, std::string_view name) {
  if (!folder.empty() && folder.back() == '\\') return folder + std::string(name);
  return folder + "\\" + std::string(name);
}

// What one opened component is: the facts the rule judges, and what the walk needs besides.
struct Described {
  ComponentFacts facts;
  FileIdentity identity;
  std::string who_may_write;  // evidence for a kWritableByOthers refusal
};

// A refusal from the rule, with who may write the component when that is the reason.
Refused judged(Refused r, const Described& d) {
  if (r.reason == Refusal::kWritableByOthers && !d.who_may_write.empty())
    r.detail += " (" + d.who_may_write + ")";
  return r;
}

FileIdentity identity_of(const BY_HANDLE_FILE_INFORMATION& info) {
  // The volume serial and the 64-bit file index (ReFS has 128-bit ids: this is their low half there).
  return FileIdentity{info.dwVolumeSerialNumber,
                      (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow};
}

Trusted<Described> describe(HANDLE handle, std::string path) {
  Described d;
  d.facts.path = std::move(path);
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(handle, &info))
    return refusal(Refusal::kOsError, d.facts.path,
                   "read its attributes: " + win::error_text(GetLastError()));
  d.identity = identity_of(info);
  d.facts.links = info.nNumberOfLinks;
  auto kind = windows::ObjectKind::kFile;
  if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
    FILE_ATTRIBUTE_TAG_INFO tag{};
    if (!GetFileInformationByHandleEx(handle, FileAttributeTagInfo, &tag, sizeof tag))
      return refusal(Refusal::kOsError, d.facts.path,
                     "read its reparse tag: " + win::error_text(GetLastError()));
    // Symbolic links and junctions (mount points) are name surrogates: they lead elsewhere. Data reparse
    // points (WOF compression, deduplication, cloud placeholders) are the file or folder itself.
    if (IsReparseTagNameSurrogate(tag.ReparseTag)) {
      d.facts.kind = ComponentFacts::Kind::kSymlink;
      kind = windows::ObjectKind::kLink;
    }
  }
  if (kind != windows::ObjectKind::kLink) {
    if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
      d.facts.kind = ComponentFacts::Kind::kFolder;
      kind = windows::ObjectKind::kFolder;
    } else if (!(info.dwFileAttributes & FILE_ATTRIBUTE_DEVICE) && GetFileType(handle) == FILE_TYPE_DISK) {
      d.facts.kind = ComponentFacts::Kind::kRegularFile;
    }
  }
  PSID owner = nullptr;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR raw = nullptr;
  const DWORD rc =
      GetSecurityInfo(handle, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
                      nullptr, &dacl, nullptr, &raw);
  win::LocalPtr<void> sd(raw);
  if (rc != ERROR_SUCCESS)
    return refusal(Refusal::kOsError, d.facts.path, "read its owner and DACL: " + win::error_text(rc));
  const auto& trusted = windows::TrustedAccounts::of_this_process();
  d.facts.owner = owner ? windows::account_name(owner) : "(no owner)";
  d.facts.owner_trusted = owner && trusted.contains(owner);
  // GetSecurityInfo gives no DACL pointer for a NULL DACL, and also when the descriptor has none at all:
  // both let everyone in.
  const auto rights = windows::others_rights(dacl, kind, trusted);
  d.facts.others_may_write = rights.may_change;
  d.facts.others_may_only_add = kind == windows::ObjectKind::kFolder && rights.may_add && !rights.may_change;
  d.who_may_write = rights.evidence;
  return d;
}

// A root the walk starts from: a drive ("C:\") or a volume ("\\?\Volume{...}\", where a mount point leads).
struct Root {
  std::wstring open_path;  // "\\?\C:\"
  std::string display;     // "C:\"
};

// An absolute path cut into its root and its components ("." and empty ones dropped; ".." kept).
struct Parsed {
  Root root;
  std::vector<std::wstring> parts;
};

bool separator(wchar_t c) {
  return c == L'\\' || c == L'/';
}

std::vector<std::wstring> split(std::wstring_view path) {
  std::vector<std::wstring> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t end = i;
    while (end < path.size() && !separator(path[end])) ++end;
    auto part = path.substr(i, end - i);
    if (!part.empty() && part != L".") parts.emplace_back(part);
    i = end + 1;
  }
  return parts;
}

// "C:\...", "\\?\C:\...", "\??\C:\..." (a link's target) and "\\?\Volume{GUID}\..."; nothing else (relative,
// drive-relative "C:x", rooted "\x", network "\\server\share" and device paths are not walked).
std::optional<Parsed> parse_absolute(std::wstring_view path) {
  const bool prefixed = path.size() >= 4 && separator(path[0]) && (separator(path[1]) || path[1] == L'?') &&
                        path[2] == L'?' && separator(path[3]);
  std::wstring_view rest = prefixed ? path.substr(4) : path;
  auto letter = [](wchar_t c) { return (c >= L'A' && c <= L'Z') || (c >= L'a' && c <= L'z'); };
  if (rest.size() >= 3 && letter(rest[0]) && rest[1] == L':' && separator(rest[2])) {
    std::wstring drive{static_cast<wchar_t>(rest[0] & ~0x20), L':', L'\\'};
    return Parsed{Root{L"\\\\?\\" + drive, win::narrow(drive)}, split(rest.substr(3))};
  }
  constexpr std::size_t kVolumeLength = 6 + 38;  // "Volume" + "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}"
  if (prefixed && rest.size() >= kVolumeLength + 1 && rest.substr(0, 7) == L"Volume{" &&
      rest[kVolumeLength - 1] == L'}' && separator(rest[kVolumeLength])) {
    std::wstring volume = L"\\\\?\\" + std::wstring(rest.substr(0, kVolumeLength)) + L"\\";
    return Parsed{Root{volume, win::narrow(volume)}, split(rest.substr(kVolumeLength + 1))};
  }
  return std::nullopt;
}

struct Level {
  NativeHandle handle;
  std::string path;
  bool only_add = false;
  FileIdentity identity;
};

Trusted<Level> open_root(const Root& root) {
  // The root is the one name opened by path; everything below it is opened relative to a handle.
  HANDLE h = CreateFileW(root.open_path.c_str(), kLookAccess, kShareAll, nullptr, OPEN_EXISTING,
                         FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    const DWORD code = GetLastError();
    const bool missing = code == ERROR_PATH_NOT_FOUND || code == ERROR_FILE_NOT_FOUND ||
                         code == ERROR_INVALID_DRIVE || code == ERROR_NOT_READY;
    return refusal(missing ? Refusal::kNotFound : Refusal::kOsError, root.display,
                   "open: " + win::error_text(code));
  }
  NativeHandle handle(reinterpret_cast<std::intptr_t>(h));
  auto d = describe(h, root.display);
  if (!d) return d.error();
  if (auto bad = judge_folder_on_the_way(d.value().facts, false)) return judged(*bad, d.value());
  return Level{std::move(handle), root.display, d.value().facts.others_may_only_add, d.value().identity};
}

// Where a link leads: another root (absolute), the drive root of the link's own chain ("\x"), or the folder
// holding the link (relative).
struct LinkTarget {
  std::optional<Root> root;
  bool from_drive_root = false;
  std::vector<std::wstring> parts;
};

Trusted<LinkTarget> read_link(HANDLE link, const std::string& component) {
  std::vector<BYTE> buffer(MAXIMUM_REPARSE_DATA_BUFFER_SIZE);
  DWORD got = 0;
  if (!DeviceIoControl(link, FSCTL_GET_REPARSE_POINT, nullptr, 0, buffer.data(),
                       static_cast<DWORD>(buffer.size()), &got, nullptr))
    return refusal(Refusal::kOsError, component,
                   "read where the link leads: " + win::error_text(GetLastError()));
  auto u16 = [&](std::size_t at) -> std::size_t {
    return at + 2 <= got ? static_cast<std::size_t>(buffer[at] | (buffer[at + 1] << 8)) : 0;
  };
  DWORD tag = 0;
  if (got >= 4) std::memcpy(&tag, buffer.data(), sizeof tag);
  // REPARSE_DATA_BUFFER: tag, length, reserved, then SubstituteNameOffset/Length and PrintNameOffset/Length;
  // a symbolic link has 4 bytes of flags before its path buffer, a mount point none.
  std::size_t path_buffer = 0;
  ULONG flags = 0;
  if (tag == static_cast<DWORD>(IO_REPARSE_TAG_SYMLINK)) {
    path_buffer = 20;
    if (got >= 20) std::memcpy(&flags, buffer.data() + 16, sizeof flags);
  } else if (tag == static_cast<DWORD>(IO_REPARSE_TAG_MOUNT_POINT)) {
    path_buffer = 16;
  } else {
    char text[96];
    std::snprintf(text, sizeof text, "a link of a kind the walk does not follow (reparse tag 0x%08lX)",
                  static_cast<unsigned long>(tag));
    return refusal(Refusal::kOsError, component, text);
  }
  const std::size_t offset = u16(8), length = u16(10);
  if (got < path_buffer || path_buffer + offset + length > got || length % 2 != 0)
    return refusal(Refusal::kOsError, component, "the link's reparse data is damaged");
  std::wstring target(length / 2, L'\0');
  std::memcpy(target.data(), buffer.data() + path_buffer + offset, length);
  LinkTarget out;
  if (tag == static_cast<DWORD>(IO_REPARSE_TAG_SYMLINK) && (flags & SYMLINK_FLAG_RELATIVE)) {
    out.from_drive_root = !target.empty() && separator(target[0]);
    out.parts = split(target);
    if (out.parts.empty() && !out.from_drive_root)
      return refusal(Refusal::kNotFound, component, "an empty link");
    return out;
  }
  auto parsed = parse_absolute(target);
  if (!parsed)
    return refusal(Refusal::kOsError, component,
                   "the link leads to '" + win::narrow(target) +
                       "', which is not a path on a local drive or volume: not followed");
  out.root = std::move(parsed->root);
  out.parts = std::move(parsed->parts);
  return out;
}

// The end of a walk: the trusted folder chain (last = the folder holding the final component), the final
// component's name there and, when it exists, its handle and description.
struct Walked {
  std::vector<Level> chain;
  std::string name;
  NativeHandle handle;  // invalid: the final entry does not exist
  std::optional<Described> final;
  bool final_link = false;  // the last component was a link, followed
};

// Walks `path` component by component. Links on the way are followed when they pass the rule; a link in the
// last component only when `follow_final`. A missing last component is not an error when `missing_final_ok`.
Trusted<Walked> walk(const std::string& path, bool follow_final, bool missing_final_ok) {
  auto parsed = parse_absolute(win::widen(path));
  if (!parsed)
    return refusal(
        Refusal::kNotAbsolute, "",
        "the path must be absolute, on a local drive (C:\\...); relative, drive-relative, network and "
        "device paths are not walked");
  std::deque<std::wstring> queue(parsed->parts.begin(), parsed->parts.end());
  if (queue.empty() || queue.back() == L"..")
    return refusal(Refusal::kNotRegularFile, path,
                   "the path names no entry in a folder (it ends in \\ or ..)");
  auto root = open_root(parsed->root);
  if (!root) return root.error();
  Walked w;
  w.chain.push_back(std::move(root).value());
  int links = 0;
  while (!queue.empty()) {
    std::wstring name = std::move(queue.front());
    queue.pop_front();
    if (name == L"..") {
      if (w.chain.size() > 1) w.chain.pop_back();
      continue;
    }
    const bool last = queue.empty();
    const Level& parent = w.chain.back();
    const bool parent_only_add = parent.only_add;
    const std::string component = join(parent.path, win::narrow(name));
    if (name.find(L':') != std::wstring::npos)
      return refusal(Refusal::kNotRegularFile, component,
                     "names an alternate data stream (name:stream), which is never opened");
    auto opened =
        open_relative(handle_of(parent.handle), name, kLookAccess, kShareAll, FILE_OPEN, kLookOptions);
    if (!opened.ok()) {
      if (windows::is_not_found(opened.status) && last && missing_final_ok) {
        w.name = win::narrow(name);
        return w;
      }
      return refusal(windows::is_not_found(opened.status) ? Refusal::kNotFound : Refusal::kOsError, component,
                     "open: " + status_text(opened.status));
    }
    auto described = describe(handle_of(opened.handle), component);
    if (!described) return described.error();
    Described& d = described.value();
    if (d.facts.kind == ComponentFacts::Kind::kSymlink && (!last || follow_final)) {
      if (auto bad = judge_symlink(d.facts, parent_only_add)) return judged(*bad, d);
      w.final_link = w.final_link || last;
      if (++links > kMaxSymlinks)
        return refusal(Refusal::kTooManyLinks, component,
                       "more than 40 links (symbolic links, junctions) on the way");
      auto target = read_link(handle_of(opened.handle), component);
      if (!target) return target.error();
      if (target.value().root) {
        auto other = open_root(*target.value().root);
        if (!other) return other.error();
        w.chain.clear();
        w.chain.push_back(std::move(other).value());
      } else if (target.value().from_drive_root) {
        w.chain.resize(1);
      }
      const auto& more = target.value().parts;
      queue.insert(queue.begin(), more.begin(), more.end());
      if (queue.empty() || queue.back() == L"..")
        return refusal(Refusal::kNotRegularFile, component, "the link leads to no entry in a folder");
      continue;
    }
    if (!last) {
      if (auto bad = judge_folder_on_the_way(d.facts, parent_only_add)) return judged(*bad, d);
      w.chain.push_back(Level{std::move(opened.handle), component, d.facts.others_may_only_add, d.identity});
      continue;
    }
    w.name = win::narrow(name);
    w.handle = std::move(opened.handle);
    w.final = std::move(d);
  }
  return w;
}

TrustedFolder folder_of(Level level) {
  return TrustedFolder{std::move(level.handle), std::move(level.path), level.identity, level.only_add};
}

std::string random_suffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}

// The owner and group of the regular file `name` in `folder`, as a security descriptor for its replacement;
// nothing when there is no such file.
struct OldOwner {
  win::LocalPtr<void> descriptor;  // owns the SIDs
  SECURITY_DESCRIPTOR for_new{};
  bool present = false;
};

Status read_old_owner(HANDLE folder, const std::wstring& name, const std::string& target, OldOwner& out) {
  auto old = open_relative(folder, name, kLookAccess, kShareAll, FILE_OPEN, kLookOptions);
  if (!old.ok()) {
    if (windows::is_not_found(old.status)) return Ok{};
    return Error{"write file", target, "open the file it replaces: " + status_text(old.status)};
  }
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(handle_of(old.handle), &info))
    return Error{"write file", target,
                 "read the attributes of the file it replaces: " + win::error_text(GetLastError())};
  if (info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) return Ok{};
  PSID owner = nullptr, group = nullptr;
  PSECURITY_DESCRIPTOR raw = nullptr;
  const DWORD rc = GetSecurityInfo(handle_of(old.handle), SE_FILE_OBJECT,
                                   OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION, &owner, &group,
                                   nullptr, nullptr, &raw);
  out.descriptor.reset(raw);
  if (rc != ERROR_SUCCESS)
    return Error{"write file", target, "read the owner of the file it replaces: " + win::error_text(rc)};
  // No DACL in it: the new file's DACL comes from the folder's inheritable ACEs.
  InitializeSecurityDescriptor(&out.for_new, SECURITY_DESCRIPTOR_REVISION);
  if (owner) SetSecurityDescriptorOwner(&out.for_new, owner, FALSE);
  if (group) SetSecurityDescriptorGroup(&out.for_new, group, FALSE);
  out.present = true;
  return Ok{};
}

bool plain_name(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  return name.find_first_of(std::string_view("\\/:\0", 4)) == std::string_view::npos;
}

}  // namespace

NativeHandle::~NativeHandle() {
  if (valid()) CloseHandle(reinterpret_cast<HANDLE>(value_));
}

NativeHandle& NativeHandle::operator=(NativeHandle&& other) noexcept {
  if (this != &other) {
    if (valid()) CloseHandle(reinterpret_cast<HANDLE>(value_));
    value_ = other.release();
  }
  return *this;
}

Trusted<TrustedFolder> open_trusted_folder(const std::string& path) {
  auto parsed = parse_absolute(win::widen(path));
  if (parsed && parsed->parts.empty()) {
    auto root = open_root(parsed->root);
    if (!root) return with_path(root.error(), path);
    return folder_of(std::move(root).value());
  }
  auto w = walk(path, true, false);
  if (!w) return with_path(w.error(), path);
  auto& walked = w.value();
  const Described& d = *walked.final;
  if (auto bad = judge_final(d.facts, walked.chain.back().only_add, Use::kFolder))
    return with_path(judged(*bad, d), path);
  return TrustedFolder{std::move(walked.handle), d.facts.path, d.identity, d.facts.others_may_only_add};
}

Trusted<TrustedFile> open_trusted_file(const std::string& path, Use use) {
  auto w = walk(path, true, false);
  if (!w) return with_path(w.error(), path);
  auto& walked = w.value();
  const Described& d = *walked.final;
  const std::string& component = d.facts.path;
  if (auto bad = judge_final(d.facts, walked.chain.back().only_add, use))
    return with_path(judged(*bad, d), path);
  // Reopened for reading from the judged handle itself (an empty name relative to it: no name is looked up
  // again), still without following a reparse point, and without waiting on another process's oplock.
  auto opened = open_relative(handle_of(walked.handle), L"", GENERIC_READ | SYNCHRONIZE, kShareAll, FILE_OPEN,
                              FILE_NON_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT |
                                  FILE_SYNCHRONOUS_IO_NONALERT | FILE_COMPLETE_IF_OPLOCKED);
  if (opened.ok() && opened.status == windows::kOplockBreakInProgress)
    return with_path(refusal(Refusal::kOsError, component,
                             "another process holds an oplock on it: reading now would wait for its release"),
                     path);
  if (!opened.ok())
    return with_path(refusal(Refusal::kOsError, component, "open for reading: " + status_text(opened.status)),
                     path);
  BY_HANDLE_FILE_INFORMATION info{};
  LARGE_INTEGER size{};
  if (!GetFileInformationByHandle(handle_of(opened.handle), &info) ||
      !GetFileSizeEx(handle_of(opened.handle), &size))
    return with_path(
        refusal(Refusal::kOsError, component, "read its size: " + win::error_text(GetLastError())), path);
  if (identity_of(info) != d.identity || (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
    return with_path(refusal(Refusal::kChanged, component, "it was replaced while it was being opened"),
                     path);
  ComponentFacts facts = d.facts;
  facts.links = info.nNumberOfLinks;
  return TrustedFile{std::move(opened.handle),
                     component,
                     std::move(facts),
                     d.identity,
                     static_cast<std::uint64_t>(size.QuadPart),
                     walked.final_link};
}

Trusted<TrustedEntry> open_trusted_entry(const std::string& path) {
  auto w = walk(path, false, true);
  if (!w) return with_path(w.error(), path);
  auto& walked = w.value();
  TrustedEntry entry;
  if (walked.final) entry.facts = walked.final->facts;
  entry.name = walked.name;
  entry.folder = folder_of(std::move(walked.chain.back()));
  return entry;
}

Trusted<std::string> read_all(const TrustedFile& file, std::size_t limit) {
  std::string bytes;
  std::vector<char> buffer(65536);
  std::uint64_t offset = 0;
  for (;;) {
    // Positional reads (the offset in OVERLAPPED; the handle is synchronous), like pread.
    OVERLAPPED at{};
    at.Offset = static_cast<DWORD>(offset & 0xFFFFFFFFu);
    at.OffsetHigh = static_cast<DWORD>(offset >> 32);
    DWORD got = 0;
    if (!ReadFile(handle_of(file.handle), buffer.data(), static_cast<DWORD>(buffer.size()), &got, &at)) {
      const DWORD code = GetLastError();
      if (code == ERROR_HANDLE_EOF) break;
      Refused r = refusal(Refusal::kOsError, file.path, "read: " + win::error_text(code));
      r.path = file.path;
      return r;
    }
    if (got == 0) break;
    bytes.append(buffer.data(), got);
    offset += got;
    if (bytes.size() > limit) {
      Refused r = refusal(Refusal::kTooLarge, file.path, "larger than " + std::to_string(limit) + " bytes");
      r.path = file.path;
      return r;
    }
  }
  return bytes;
}

// `mode` is POSIX only: on Windows the new file's DACL comes from the folder's inheritable ACEs. The old
// file's owner and group pass to the new one where this account may assign them (itself, a group it may own,
// or any account with SeRestorePrivilege enabled); where it may not, the replacement fails and says so, and
// the old file stays.
Status replace_in_folder(const TrustedFolder& folder, std::string_view name, std::string_view bytes,
                         std::uint32_t /*mode*/) {
  const std::string target = join(folder.path, name);
  if (!plain_name(name)) return Error{"write file", target, "not the name of an entry in a folder"};
  const HANDLE dir = handle_of(folder.handle);
  const std::wstring wide_name = win::widen(name);
  OldOwner old;
  if (auto read = read_old_owner(dir, wide_name, target, old); !read) return read.error();
  const std::wstring tmp = L"." + wide_name + L".rdpmend-" + win::widen(random_suffix()) + L".tmp";
  // Created exclusively (FILE_CREATE: never an existing entry, never through a link), shared with no one.
  auto created = open_relative(dir, tmp, GENERIC_WRITE | DELETE | SYNCHRONIZE, 0, FILE_CREATE,
                               FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
                               old.present ? &old.for_new : nullptr);
  if (!created.ok())
    return Error{"write file", target, "create a temporary file: " + status_text(created.status)};
  const HANDLE file = handle_of(created.handle);
  auto fail = [&](const std::string& step) -> Status {
    Error e{"write file", target, step};
    windows::delete_on_close(file);  // the temporary file goes when its handle closes
    return e;
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(bytes.size() - done, 1u << 30));
    DWORD wrote = 0;
    if (!WriteFile(file, bytes.data() + done, chunk, &wrote, nullptr) || wrote == 0)
      return fail("write: " + win::error_text(GetLastError()));
    done += wrote;
  }
  // On disk before the name points at it; the rename itself is recorded by the file system's journal.
  if (!FlushFileBuffers(file)) return fail("flush: " + win::error_text(GetLastError()));
  const auto renamed = windows::rename_relative(file, dir, wide_name, true);
  if (renamed < 0) return fail("rename over it: " + status_text(renamed));
  return Ok{};
}

}  // namespace rdpmend::security
