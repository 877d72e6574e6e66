#pragma once
// The xrdp host's actions: the same ids as on Windows, for xrdp's files and daemon, one file each.
//   repair-rdp-key-acl  the key file back to root:<xrdp group> 0640, never through a symlink
//                       (key_acl_action.h), or the xrdp user in the key's group (key_group_action.h)
//   regenerate-rdp-cert a new self-signed pair (OpenSSL), SAN = host name, written atomically (cert_action.h)
//   restore-firewall-rules an accept rule for the port in each nftables chain that blocks it
//                       (nft_firewall_action.h)
//   start-rdp-service / restart-rdp-service  the configured restart command, an argv list
//                       (service_command_action.h)

#include "actions/action.h"
#include "actions/linux/xrdp_action_config.h"

namespace rdpmend::actions {

ActionSet make_xrdp_actions(const XrdpActionConfig& config);

}  // namespace rdpmend::actions
