#pragma once
// repair-rdp-key-acl, the other way (policy XrdpKeyAccess = user-group): the key file stays as it is
// (Debian's /etc/xrdp/key.pem is a link to the snakeoil key, root:ssl-cert 0640) and the xrdp user joins the
// key's group. Only the group the policy names (XrdpKeyGroup), only when the key file (followed, as xrdp
// follows it, but never changed) belongs to that group and lets its group read it. usermod adds, gpasswd -d
// takes away on rollback. xrdp reads its groups when it starts: restart-rdp-service follows when the policy
// allows it.

#include <memory>
#include <string>

#include "actions/action.h"

namespace rdpmend::actions {

struct KeyGroupConfig {
  std::string xrdp_user = "xrdp";
  std::string group = "ssl-cert";
  std::string usermod = "/usr/sbin/usermod";
  std::string gpasswd = "/usr/bin/gpasswd";
};

std::unique_ptr<Action> make_key_group_action(KeyGroupConfig config);

}  // namespace rdpmend::actions
