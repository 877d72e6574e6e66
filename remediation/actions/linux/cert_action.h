#pragma once
// regenerate-rdp-cert on xrdp: a new self-signed pair (actions/linux/self_signed.h) written over the
// certificate and key entries, the key first; a certificate issued by a CA, or a file that is not PEM of the
// right kind, is the administrator's and never replaced.

#include <memory>
#include <string>

#include "actions/action.h"
#include "actions/linux/xrdp_action_config.h"

namespace rdpmend::actions {

std::unique_ptr<Action> make_regenerate_cert_action(const XrdpActionConfig& config);

}  // namespace rdpmend::actions
