#pragma once
// The xrdp host's actions: the same ids as on Windows, for xrdp's files and daemon.
//   repair-rdp-key-acl  the key file back to root:<xrdp group> 0640 (never through a symlink)
//   regenerate-rdp-cert a new self-signed pair (OpenSSL), SAN = host name, written atomically
//   restore-firewall-rules an accept rule for the port in each nftables chain that blocks it
//   start-rdp-service / restart-rdp-service  the configured restart command (an argv list)

#include <string>
#include <vector>

#include "actions/action.h"

namespace rdpmend::actions {

struct XrdpActionConfig {
  std::string xrdp_user = "xrdp";
  std::vector<std::string> restart_command;  // e.g. {"systemctl", "restart", "xrdp"}; empty: not configured
  std::string key_type = "rsa2048";          // rsa2048, rsa3072, ec-p256
  int validity_days = 365;
  std::string hostname;
  std::string nft = "/usr/sbin/nft";  // restore-firewall-rules (actions/linux/nft_firewall_action.h)
  // repair-rdp-key-acl: "auto" (key_group_action.h), "file-group" (the key file to root:<xrdp group> 0640) or
  // "user-group" (the xrdp user joins key_group: actions/linux/key_group_action.h).
  std::string key_access = "auto";
  std::string key_group = "ssl-cert";
};

ActionSet make_xrdp_actions(const XrdpActionConfig& config);

}  // namespace rdpmend::actions
