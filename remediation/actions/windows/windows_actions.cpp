#include "actions/windows/windows_actions.h"

namespace rdpmend::actions {

ActionSet make_windows_actions(const WindowsActionConfig& config) {
  ActionSet set;
  set.add(make_machinekeys_acl_action(config));
  set.add(make_rdp_key_acl_action(config));
  set.add(make_certificate_action(config));
  set.add(make_firewall_action(config));
  set.add(make_start_service_action(config));
  set.add(make_restart_service_action(config));
  return set;
}

}  // namespace rdpmend::actions
