#pragma once
// Who can read a file on Linux: owner, group, mode, links, and whether a given user (with all of its
// groups, as a service started with --init-groups / systemd User= gets them) can traverse every parent
// folder and read the file itself. The file is opened under the trust rule (security/trusted_file.h), so
// every fact comes from the opened descriptor and the folders on the way are ones only root can change.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "inspect/host_state.h"
#include "security/trusted_file.h"

namespace rdpmend::inspect::linux_host {

struct Account {
  std::string name;
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> groups;  // supplementary groups, the primary one included
};

Result<Account> lookup_account(const std::string& name);

// A file as the inspection sees it: its state, and either the opened file (to read its content) or why
// the trust rule refused it. A missing file is neither: state.exists is false.
struct InspectedFile {
  FileState state;
  std::optional<security::TrustedFile> file;
  std::optional<security::Refused> refused;
};

// Opens `path` for `use` (a key or certificate the agent may change: kChange). Symlinks are followed when
// they pass the rule and reported (is_link), as the service itself follows them when it opens the file.
InspectedFile open_and_inspect(const std::string& path, const Account* account, security::Use use);

// open_and_inspect's state alone.
FileState inspect_file(const std::string& path, const Account* account);

// The refusal as the host state records it.
RefusedPath refused_path(const char* role, const std::string& path, const security::Refused& refused);

}  // namespace rdpmend::inspect::linux_host
