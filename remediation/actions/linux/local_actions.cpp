#include "actions/local_actions.h"

#include "actions/linux/xrdp_actions.h"

namespace rdpmend::actions {

ActionSet make_local_actions(const LocalActionConfig& config) {
  XrdpActionConfig xrdp;
  xrdp.xrdp_user = config.xrdp_user;
  xrdp.restart_command = config.restart_command;
  xrdp.key_type = config.key_type;
  xrdp.validity_days = config.validity_days;
  xrdp.hostname = config.hostname;
  xrdp.key_access = config.key_access;
  xrdp.key_group = config.key_group;
  return make_xrdp_actions(xrdp);
}

}  // namespace rdpmend::actions
