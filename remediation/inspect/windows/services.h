#pragma once
// The Windows service inspector (port: inspect/services.h): TermService, SessionEnv and UmRdpService through
// the service control manager (platform/windows/scm: status and start type). A service that does not exist is
// present=false without an error; one that cannot be queried keeps its state unknown and says why.

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog_ids.h"
#include "inspect/services.h"

namespace rdpmend::inspect::windows {

inline const std::vector<std::string> kRdpServices{ids::rdp_service::kWindows, "SessionEnv", "UmRdpService"};

std::unique_ptr<ServiceInspector> make_service_inspector(std::vector<std::string> names = kRdpServices);

// "running", "stopped", "start-pending", ... for SERVICE_* states (win::service_state_name); "auto",
// "manual", "disabled", "boot", "system" for start types.
std::string service_state_name(unsigned long state);
std::string service_start_type_name(unsigned long start_type);

}  // namespace rdpmend::inspect::windows
