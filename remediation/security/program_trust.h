#pragma once
// The trust rule for a program the agent runs as root / SYSTEM (the xrdp restart command): the program must
// be an absolute path that passes the rule for content (every component a trusted account's, nothing
// writable by others, a regular file), and so must every argument that names an existing file by an
// absolute path, since an interpreter (`/bin/sh /srv/restart.sh`) runs what its argument says.

#include <optional>
#include <string>
#include <vector>

#include "security/path_trust.h"

namespace rdpmend::security {

// nullopt when `argv` may run; else the first refusal (its path is the program or the argument).
std::optional<Refused> check_program(const std::vector<std::string>& argv);

}  // namespace rdpmend::security
