#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "journal/file_protection.h"

namespace rdpmend::journal {
namespace {

std::string os_error(int code) {
  return std::strerror(code);
}

// An existing journal file (or companion) is refused when it is a link, not a regular file, reachable by
// group or others, or (running as root) owned by anyone but root.
Status check_existing(const std::string& file, const struct stat& st) {
  const char* const kWhat = "check the journal file's permissions";
  if (S_ISLNK(st.st_mode)) return Error{kWhat, file, "refused: it is a symbolic link"};
  if (!S_ISREG(st.st_mode)) return Error{kWhat, file, "refused: it is not a regular file"};
  if (geteuid() == 0 && st.st_uid != 0)
    return Error{kWhat, file, "refused: it is not owned by root (uid " + std::to_string(st.st_uid) + ")"};
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Error{kWhat, file,
                 std::string("refused: mode ") + mode +
                     " lets users other than its owner read or write it (it holds backups of security "
                     "settings); expected 0600"};
  }
  return Ok{};
}

Status check_if_present(const std::string& file) {
  struct stat st {};
  if (lstat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) return Ok{};
    return Error{"check the journal file's permissions", file, os_error(errno)};
  }
  return check_existing(file, st);
}

}  // namespace

Status prepare_database_file(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Error{"check the journal file's permissions", path, os_error(errno)};
    // An empty file is an empty SQLite database; creating it here fixes its mode before SQLite sees it.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) return Error{"create the journal file", path, os_error(errno)};
    // The umask can only remove bits; set exactly 0600 anyway.
    const bool mode_set = fchmod(fd, S_IRUSR | S_IWUSR) == 0;
    const int mode_errno = errno;
    ::close(fd);
    if (!mode_set) return Error{"set the journal file's mode to 0600", path, os_error(mode_errno)};
  } else {
    if (auto checked = check_existing(path, st); !checked) return checked;
  }
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    if (auto checked = check_if_present(path + suffix); !checked) return checked;
  }
  return Ok{};
}

Status protect_companion_files(const std::string& path) {
  // SQLite's unix VFS creates -wal/-shm with the database file's mode and owner; check that it did.
  for (const char* suffix : {"-wal", "-shm"}) {
    if (auto checked = check_if_present(path + suffix); !checked) return checked;
  }
  return Ok{};
}

Result<bool> install_new_database(const std::string& from, const std::string& to) {
  const char* const kWhat = "put the new journal in place";
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) return false;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
      return Error{kWhat, to, "rename from " + from + ": " + os_error(errno)};
    // A file system without a no-replace rename: a hard link fails the same way when `to` exists.
    if (link(from.c_str(), to.c_str()) != 0) {
      if (errno == EEXIST) return false;
      return Error{kWhat, to, "link from " + from + ": " + os_error(errno)};
    }
    if (unlink(from.c_str()) != 0) return Error{"remove the new journal's draft", from, os_error(errno)};
  }
  // The rename is durable once the folder's entry is: the journal's first intent must not outlive it.
  const std::string folder = std::filesystem::path(to).parent_path().string();
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error{"open the journal's folder to sync it", folder, os_error(errno)};
  const bool synced = fsync(fd) == 0;
  const int sync_errno = errno;
  ::close(fd);
  if (!synced) return Error{"sync the journal's folder", folder, os_error(sync_errno)};
  return true;
}

}  // namespace rdpmend::journal
