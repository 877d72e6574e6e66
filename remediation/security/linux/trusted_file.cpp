// Linux half of security/trusted_file.h: the walk with openat(O_PATH | O_NOFOLLOW), one component at a
// time, each judged on what fstat says of the opened descriptor.

#include "security/trusted_file.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <random>
#include <vector>

#include "security/linux/posix_files.h"

namespace rdpmend::security {
namespace {

std::string os_text(int code) {
  return std::strerror(code);
}

// Root, and the account this process runs as (a developer's own build folder): the accounts whose files
// steer nothing they could not change already.
bool trusted_uid(uid_t uid) {
  return uid == 0 || uid == geteuid();
}

std::string join(const std::string& folder, std::string_view name) {
  if (folder == "/") return "/" + std::string(name);
  return folder + "/" + std::string(name);
}

ComponentFacts facts_of(const struct stat& st, std::string path) {
  ComponentFacts f;
  f.path = std::move(path);
  if (S_ISDIR(st.st_mode))
    f.kind = ComponentFacts::Kind::kFolder;
  else if (S_ISREG(st.st_mode))
    f.kind = ComponentFacts::Kind::kRegularFile;
  else if (S_ISLNK(st.st_mode))
    f.kind = ComponentFacts::Kind::kSymlink;
  f.owner_trusted = trusted_uid(st.st_uid);
  f.links = static_cast<std::uint64_t>(st.st_nlink);
  f.owner = user_name(st.st_uid);
  f.group = group_name(st.st_gid);
  f.mode = static_cast<std::uint32_t>(st.st_mode & 07777);
  if (f.kind == ComponentFacts::Kind::kSymlink) return f;  // a link's mode is always 0777 and means nothing
  const bool others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  // A sticky folder lets others add entries but not remove or rename other accounts' (unlink(2), rename(2)).
  if (others_write && f.kind == ComponentFacts::Kind::kFolder && (st.st_mode & S_ISVTX) && st.st_uid == 0)
    f.others_may_only_add = true;
  else
    f.others_may_write = others_write;
  return f;
}

FileIdentity identity_of(const struct stat& st) {
  return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

Refused os_refusal(Refusal reason, std::string component, int code, const std::string& what) {
  Refused r;
  r.reason = reason;
  r.component = std::move(component);
  r.detail = what + ": " + os_text(code);
  return r;
}

Refused with_path(Refused r, const std::string& path) {
  r.path = path;
  return r;
}

struct Level {
  NativeHandle fd;
  std::string path;
  bool only_add = false;
};

// The end of a walk: the trusted folder chain (last = the folder holding the final component), the final
// component's name there, and (when it exists) its O_PATH descriptor and stat.
struct Walked {
  std::vector<Level> chain;
  std::string name;
  NativeHandle fd;  // invalid: the final entry does not exist
  struct stat st {};
  bool final_link = false;  // the last component was a link, followed
};

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    auto slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    auto part = path.substr(i, slash - i);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    i = slash + 1;
  }
  return parts;
}

Trusted<Level> open_root() {
  int fd = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return os_refusal(Refusal::kOsError, "/", errno, "open");
  Level root{NativeHandle(fd), "/", false};
  struct stat st {};
  if (fstat(fd, &st) != 0) return os_refusal(Refusal::kOsError, "/", errno, "fstat");
  if (auto bad = judge_folder_on_the_way(facts_of(st, "/"), false)) return *bad;
  root.only_add = facts_of(st, "/").others_may_only_add;
  return root;
}

// Walks `path` component by component. Links on the way are followed when they pass the rule; a link in
// the last component is followed only when `follow_final`. A missing last component is not an error when
// `missing_final_ok` (fd stays invalid).
Trusted<Walked> walk(const std::string& path, bool follow_final, bool missing_final_ok) {
  if (path.empty() || path[0] != '/') {
    Refused r;
    r.reason = Refusal::kNotAbsolute;
    r.detail = "the path must be absolute";
    return r;
  }
  auto root = open_root();
  if (!root) return root.error();
  Walked w;
  w.chain.push_back(std::move(root).value());
  auto parts = split(path);
  std::deque<std::string> queue(parts.begin(), parts.end());
  if (queue.empty() || queue.back() == "..") {
    Refused r;
    r.reason = Refusal::kNotRegularFile;
    r.component = path;
    r.detail = "the path names no entry in a folder (it ends in / or ..)";
    return r;
  }
  int links = 0;
  while (!queue.empty()) {
    std::string name = std::move(queue.front());
    queue.pop_front();
    if (name == "..") {
      if (w.chain.size() > 1) w.chain.pop_back();
      continue;
    }
    const bool last = queue.empty();
    Level& parent = w.chain.back();
    const std::string component = join(parent.path, name);
    int fd = openat(fd_of(parent.fd), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      const int code = errno;
      if (code == ENOENT && last && missing_final_ok) {
        w.name = name;
        return w;
      }
      return os_refusal(code == ENOENT ? Refusal::kNotFound : Refusal::kOsError, component, code, "open");
    }
    NativeHandle handle(fd);
    struct stat st {};
    if (fstat(fd, &st) != 0) return os_refusal(Refusal::kOsError, component, errno, "fstat");
    ComponentFacts facts = facts_of(st, component);
    if (facts.kind == ComponentFacts::Kind::kSymlink && (!last || follow_final)) {
      if (auto bad = judge_symlink(facts, parent.only_add)) return *bad;
      w.final_link = w.final_link || last;
      if (++links > kMaxSymlinks) {
        Refused r;
        r.reason = Refusal::kTooManyLinks;
        r.component = component;
        r.detail = "more than 40 symbolic links on the way";
        return r;
      }
      std::vector<char> target(4096);
      ssize_t n = readlinkat(fd, "", target.data(), target.size());
      if (n < 0) return os_refusal(Refusal::kOsError, component, errno, "readlink");
      if (static_cast<std::size_t>(n) >= target.size()) {
        Refused r;
        r.reason = Refusal::kOsError;
        r.component = component;
        r.detail = "the link's target is too long";
        return r;
      }
      std::string text(target.data(), static_cast<std::size_t>(n));
      auto more = split(text);
      if (more.empty() && !text.starts_with("/")) {
        Refused r;
        r.reason = Refusal::kNotFound;
        r.component = component;
        r.detail = "an empty link";
        return r;
      }
      if (text.starts_with("/")) w.chain.resize(1);
      queue.insert(queue.begin(), more.begin(), more.end());
      if (queue.back() == ".." || (more.empty() && queue.empty())) {
        Refused r;
        r.reason = Refusal::kNotRegularFile;
        r.component = component;
        r.detail = "the link leads to no entry in a folder";
        return r;
      }
      continue;
    }
    if (!last) {
      if (auto bad = judge_folder_on_the_way(facts, parent.only_add)) return *bad;
      w.chain.push_back(Level{std::move(handle), component, facts.others_may_only_add});
      continue;
    }
    w.name = name;
    w.fd = std::move(handle);
    w.st = st;
  }
  return w;
}

TrustedFolder folder_of(Level level, const struct stat& st) {
  return TrustedFolder{std::move(level.fd), std::move(level.path), identity_of(st), level.only_add};
}

Trusted<TrustedFolder> parent_folder(Walked& w) {
  Level& parent = w.chain.back();
  struct stat st {};
  if (fstat(fd_of(parent.fd), &st) != 0) return os_refusal(Refusal::kOsError, parent.path, errno, "fstat");
  return folder_of(std::move(parent), st);
}

std::string random_suffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}

}  // namespace

NativeHandle::~NativeHandle() {
  if (valid()) ::close(static_cast<int>(value_));
}

NativeHandle& NativeHandle::operator=(NativeHandle&& other) noexcept {
  if (this != &other) {
    if (valid()) ::close(static_cast<int>(value_));
    value_ = other.release();
  }
  return *this;
}

int fd_of(const NativeHandle& handle) {
  return static_cast<int>(handle.get());
}

std::string user_name(unsigned uid) {
  std::vector<char> buffer(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found) return pw.pw_name;
  return std::to_string(uid);
}

std::string group_name(unsigned gid) {
  std::vector<char> buffer(16384);
  struct group gr {};
  struct group* found = nullptr;
  if (getgrgid_r(gid, &gr, buffer.data(), buffer.size(), &found) == 0 && found) return gr.gr_name;
  return std::to_string(gid);
}

Trusted<TrustedFolder> open_trusted_folder(const std::string& path) {
  if (path == "/") {
    auto root = open_root();
    if (!root) return with_path(root.error(), path);
    struct stat st {};
    fstat(fd_of(root.value().fd), &st);
    return folder_of(std::move(root).value(), st);
  }
  auto w = walk(path, true, false);
  if (!w) return with_path(w.error(), path);
  auto& walked = w.value();
  bool only_add = walked.chain.back().only_add;
  std::string component = join(walked.chain.back().path, walked.name);
  const ComponentFacts facts = facts_of(walked.st, component);
  if (auto bad = judge_final(facts, only_add, Use::kFolder)) return with_path(*bad, path);
  return TrustedFolder{std::move(walked.fd), component, identity_of(walked.st), facts.others_may_only_add};
}

Trusted<TrustedFile> open_trusted_file(const std::string& path, Use use) {
  auto w = walk(path, true, false);
  if (!w) return with_path(w.error(), path);
  auto& walked = w.value();
  const Level& parent = walked.chain.back();
  std::string component = join(parent.path, walked.name);
  ComponentFacts facts = facts_of(walked.st, component);
  if (auto bad = judge_final(facts, parent.only_add, use)) return with_path(*bad, path);
  // Opened for reading only now that it is known to be a regular file: O_NONBLOCK in case it was swapped
  // for a FIFO since, and the same inode is checked below.
  int fd = openat(fd_of(parent.fd), walked.name.c_str(),
                  O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return with_path(os_refusal(Refusal::kOsError, component, errno, "open"), path);
  NativeHandle handle(fd);
  struct stat st {};
  if (fstat(fd, &st) != 0) return with_path(os_refusal(Refusal::kOsError, component, errno, "fstat"), path);
  if (identity_of(st) != identity_of(walked.st) || !S_ISREG(st.st_mode)) {
    Refused r;
    r.reason = Refusal::kChanged;
    r.path = path;
    r.component = component;
    r.detail = "it was replaced while it was being opened";
    return r;
  }
  return TrustedFile{std::move(handle),
                     component,
                     facts_of(st, component),
                     identity_of(st),
                     static_cast<std::uint64_t>(st.st_size),
                     walked.final_link};
}

Trusted<TrustedEntry> open_trusted_entry(const std::string& path) {
  auto w = walk(path, false, true);
  if (!w) return with_path(w.error(), path);
  auto& walked = w.value();
  TrustedEntry entry;
  std::string component = join(walked.chain.back().path, walked.name);
  if (walked.fd.valid()) entry.facts = facts_of(walked.st, component);
  entry.name = walked.name;
  auto folder = parent_folder(walked);
  if (!folder) return with_path(folder.error(), path);
  entry.folder = std::move(folder).value();
  return entry;
}

Trusted<std::string> read_all(const TrustedFile& file, std::size_t limit) {
  std::string bytes;
  std::vector<char> buffer(65536);
  off_t offset = 0;
  for (;;) {
    ssize_t n = pread(fd_of(file.handle), buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto r = os_refusal(Refusal::kOsError, file.path, errno, "read");
      r.path = file.path;
      return r;
    }
    if (n == 0) break;
    bytes.append(buffer.data(), static_cast<std::size_t>(n));
    offset += n;
    if (bytes.size() > limit) {
      Refused r;
      r.reason = Refusal::kTooLarge;
      r.path = r.component = file.path;
      r.detail = "larger than " + std::to_string(limit) + " bytes";
      return r;
    }
  }
  return bytes;
}

Status replace_in_folder(const TrustedFolder& folder, std::string_view name, std::string_view bytes,
                         std::uint32_t mode) {
  unsigned uid = geteuid(), gid = getegid();
  struct stat st {};
  if (fstatat(fd_of(folder.handle), std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISREG(st.st_mode)) {
    uid = st.st_uid;
    gid = st.st_gid;
  }
  return replace_file(folder, name, bytes, uid, gid, mode);
}

Status replace_file(const TrustedFolder& folder, std::string_view name, std::string_view bytes, unsigned uid,
                    unsigned gid, unsigned mode) {
  const std::string target = join(folder.path, name);
  const std::string tmp = "." + std::string(name) + ".rdpmend-" + random_suffix() + ".tmp";
  const int dir = fd_of(folder.handle);
  int fd = openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Error{"write file", target, "create a temporary file: " + os_text(errno)};
  auto fail = [&](const char* step) -> Status {
    Error e{"write file", target, std::string(step) + ": " + os_text(errno)};
    ::close(fd);
    unlinkat(dir, tmp.c_str(), 0);
    return e;
  };
  if (fchown(fd, uid, gid) != 0) return fail("fchown");
  if (fchmod(fd, mode) != 0) return fail("fchmod");
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("write");
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return fail("fsync");
  ::close(fd);
  if (renameat(dir, tmp.c_str(), dir, std::string(name).c_str()) != 0) {
    Error e{"write file", target, "rename: " + os_text(errno)};
    unlinkat(dir, tmp.c_str(), 0);
    return e;
  }
  int sync_fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (sync_fd >= 0) {
    fsync(sync_fd);
    ::close(sync_fd);
  }
  return Ok{};
}

Status replace_with_symlink(const TrustedFolder& folder, std::string_view name, const std::string& target,
                            unsigned uid, unsigned gid) {
  const std::string where = join(folder.path, name);
  const std::string tmp = "." + std::string(name) + ".rdpmend-" + random_suffix() + ".tmp";
  const int dir = fd_of(folder.handle);
  if (symlinkat(target.c_str(), dir, tmp.c_str()) != 0)
    return Error{"restore link", where, "symlink: " + os_text(errno)};
  if (fchownat(dir, tmp.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0 ||
      renameat(dir, tmp.c_str(), dir, std::string(name).c_str()) != 0) {
    Error e{"restore link", where, os_text(errno)};
    unlinkat(dir, tmp.c_str(), 0);
    return e;
  }
  return Ok{};
}

Status remove_entry(const TrustedFolder& folder, std::string_view name) {
  if (unlinkat(fd_of(folder.handle), std::string(name).c_str(), 0) != 0 && errno != ENOENT)
    return Error{"remove file", join(folder.path, name), os_text(errno)};
  return Ok{};
}

Result<std::string> read_symlink(const TrustedFolder& folder, std::string_view name) {
  std::vector<char> target(4096);
  ssize_t n = readlinkat(fd_of(folder.handle), std::string(name).c_str(), target.data(), target.size());
  if (n < 0) return Error{"read link", join(folder.path, name), os_text(errno)};
  if (static_cast<std::size_t>(n) >= target.size())
    return Error{"read link", join(folder.path, name), "the target is too long"};
  return std::string(target.data(), static_cast<std::size_t>(n));
}

}  // namespace rdpmend::security
