#pragma once
// Who can read a file on Linux: owner, group, mode, links, and whether a given user (with all of its
// groups, as a service started with --init-groups / systemd User= gets them) can traverse every parent
// folder and read the file itself.

#include <string>
#include <vector>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect::linux_host {

struct Account {
  std::string name;
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> groups;  // supplementary groups, the primary one included
};

Result<Account> lookup_account(const std::string& name);

// Fills a FileState for `path` as seen by `account`. Symlinks are reported (is_link) and followed for
// the read check, as the service itself follows them when it opens the file.
FileState inspect_file(const std::string& path, const Account* account);

std::string user_name(unsigned uid);
std::string group_name(unsigned gid);

}  // namespace rdpmend::inspect::linux_host
