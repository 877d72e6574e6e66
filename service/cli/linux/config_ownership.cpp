#include <sys/stat.h>
#include <unistd.h>

#include "cli/config_file.h"

namespace rdpmend::cli {

Result<Ok> check_config_ownership(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return Error{"read configuration", path, "cannot stat"};
  if (geteuid() == 0 && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))))
    return Error{"read configuration", path,
                 "refused: it must be owned by root and writable by root only (it steers a root process)"};
  return Ok{};
}

}  // namespace rdpmend::cli
