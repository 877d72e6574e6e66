#include "cli/host_privilege.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rdpmend::cli {

bool running_privileged() {
  return geteuid() == 0;
}

std::string default_journal_path() {
  return "/var/lib/rdpmend/journal.db";
}

std::string default_log_folder() {
  return "/var/log/rdpmend";
}

Status ensure_journal_folder(const std::string& journal_path) {
  auto folder = std::filesystem::path(journal_path).parent_path();
  if (folder.empty()) return Ok{};
  struct stat st {};
  if (lstat(folder.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Error{"use the journal folder", folder.string(), "not a folder"};
    return Ok{};
  }
  if (errno != ENOENT) return Error{"use the journal folder", folder.string(), std::strerror(errno)};
  if (mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
    return Error{"create the journal folder", folder.string(), std::strerror(errno)};
  return Ok{};
}

}  // namespace rdpmend::cli
