#pragma once
// start-rdp-service / restart-rdp-service on xrdp: the configured command (an argv list, checked by the
// program trust rule right before it runs), verified by xrdp running and listening.

#include <memory>
#include <string>

#include "actions/action.h"
#include "actions/linux/xrdp_action_config.h"

namespace rdpmend::actions {

std::unique_ptr<Action> make_service_command_action(std::string id, const XrdpActionConfig& config);

}  // namespace rdpmend::actions
