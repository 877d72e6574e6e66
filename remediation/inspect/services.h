#pragma once
// Port: the state of the RDP services. Reads state, never changes it.
// windows/: TermService, SessionEnv, UmRdpService through the service control manager (state, start type).
// linux/: the xrdp daemon (process and listening socket).

#include <vector>

#include "inspect/host_state.h"

namespace rdpmend::inspect {

class ServiceInspector {
 public:
  virtual ~ServiceInspector() = default;
  virtual std::vector<ServiceState> inspect(const ListenerSettings& listener) = 0;
};

}  // namespace rdpmend::inspect
