#pragma once
// Port: whether the host firewall lets RDP in. Reads state, never changes it.
// windows/: INetFwPolicy2, the Remote Desktop rules by their stable names (RemoteDesktop-UserMode-In-TCP,
// -UDP): present, enabled, profiles, ports vs PortNumber. linux/: `nft -j list ruleset`.

#include "inspect/host_state.h"

namespace rdpmend::inspect {

class FirewallInspector {
 public:
  virtual ~FirewallInspector() = default;
  virtual FirewallState inspect(const ListenerSettings& listener) = 0;
};

}  // namespace rdpmend::inspect
