#pragma once
// What the xrdp actions need to know about the host's xrdp: its user, how to restart it, the certificate to
// make and how the key is shared (the [xrdp] table of the configuration file: README.md).

#include <string>
#include <vector>

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

}  // namespace rdpmend::actions
