#include "file_ownership.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rdpmend::policy {

std::optional<std::string> refuse_untrusted_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::string("cannot stat: ") + std::strerror(errno);
  if (geteuid() == 0 && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))))
    return std::string(
        "refused: it must be owned by root and writable by root only (it steers a root process)");
  return std::nullopt;
}

}  // namespace rdpmend::policy
