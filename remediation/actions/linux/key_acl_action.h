#pragma once
// repair-rdp-key-acl, file-group style: the key file back to root:<xrdp user's group> 0640, through a
// descriptor opened under the trust rule, never through a link and only on the file the backup was taken of.

#include <memory>
#include <string>

#include "actions/action.h"
#include "actions/linux/xrdp_action_config.h"

namespace rdpmend::actions {

std::unique_ptr<Action> make_key_acl_action(const XrdpActionConfig& config);

}  // namespace rdpmend::actions
