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

// XrdpKeyAccess = auto: the way is chosen from the key file as inspected. A key of XrdpKeyGroup that its
// group may read (Debian's snakeoil key, shared with other services) is repaired by group membership; a
// key that another group shares is refused (only XrdpKeyGroup may be joined, and a shared key is never
// chgrp'd); any other key by `file_group` (root:<xrdp's group> 0640). The backup records the way taken.
std::unique_ptr<Action> make_auto_key_access_action(KeyGroupConfig config,
                                                    std::unique_ptr<Action> file_group);

}  // namespace rdpmend::actions
