#pragma once
// The actions of this machine: linux/local_actions.cpp (xrdp) or windows/local_actions.cpp (TermService).

#include <string>
#include <vector>

#include "actions/action.h"

namespace rdpmend::actions {

struct LocalActionConfig {
  // xrdp (Linux); Windows ignores these.
  std::string xrdp_user = "xrdp";
  std::vector<std::string> restart_command;  // the configured `[xrdp] restart` argv; empty: not configured
  // From the policy (XrdpCertKeyType, XrdpCertValidityDays).
  std::string key_type = "rsa2048";
  int validity_days = 365;
  std::string key_access = "auto";     // XrdpKeyAccess
  std::string key_group = "ssl-cert";  // XrdpKeyGroup
  std::string hostname;
};

ActionSet make_local_actions(const LocalActionConfig& config);

}  // namespace rdpmend::actions
