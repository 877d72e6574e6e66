#include "actions/linux/xrdp_actions.h"

#include "actions/linux/cert_action.h"
#include "actions/linux/key_acl_action.h"
#include "actions/linux/key_group_action.h"
#include "actions/linux/nft_firewall_action.h"
#include "actions/linux/service_command_action.h"
#include "catalog/catalog_ids.h"

namespace rdpmend::actions {

ActionSet make_xrdp_actions(const XrdpActionConfig& config) {
  ActionSet set;
  KeyGroupConfig group{config.xrdp_user, config.key_group};
  if (config.key_access == "user-group")
    set.add(make_key_group_action(group));
  else if (config.key_access == "auto")
    set.add(make_auto_key_access_action(group, make_key_acl_action(config)));
  else
    set.add(make_key_acl_action(config));
  set.add(make_regenerate_cert_action(config));
  set.add(make_nft_firewall_action(config.nft));
  // Without a configured restart command, xrdp cannot be started or restarted by RdpMend: the two actions
  // are not offered (the plan says "not available"), rather than planned and refused at every repair.
  if (!config.restart_command.empty()) {
    set.add(make_service_command_action(ids::action::kStartRdpService, config));
    set.add(make_service_command_action(ids::action::kRestartRdpService, config));
  }
  return set;
}

}  // namespace rdpmend::actions
