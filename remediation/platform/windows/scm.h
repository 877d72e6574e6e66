#pragma once
// The service control manager as the Windows halves use it: the service inspector (inspect/windows/services),
// the service actions (actions/windows/service_actions) and RdpMend's own service install (service/windows/
// service_control). One place opens the manager and services, reads a status and a start type, starts, stops
// and waits for a state, so every caller reports an SCM failure the same way: what, which service, the OS
// text. `name` is the service's name in UTF-8, for the Error only.

#include <windows.h>

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"
#include "platform/windows/handles.h"

namespace rdpmend::win {

// Whether a service that does not exist (ERROR_SERVICE_DOES_NOT_EXIST) is an Error or an empty handle: the
// inspector reports it as absent, uninstall has nothing to remove.
enum class IfMissing { kError, kEmpty };

class Scm {
 public:
  // The manager on this computer; SC_MANAGER_CREATE_SERVICE added for CreateServiceW.
  static Result<Scm> connect(DWORD access = SC_MANAGER_CONNECT);

  // Error "open the service" with the service's name; an empty handle for a missing service when kEmpty.
  Result<UniqueServiceHandle> open(const std::wstring& name, DWORD access,
                                   IfMissing missing = IfMissing::kError) const;

  // For the calls this wrapper does not make (CreateServiceW).
  SC_HANDLE get() const { return manager_.get(); }

 private:
  explicit Scm(UniqueServiceHandle manager) : manager_(std::move(manager)) {}
  UniqueServiceHandle manager_;
};

// QueryServiceStatusEx (needs SERVICE_QUERY_STATUS).
Result<SERVICE_STATUS_PROCESS> query_status(SC_HANDLE service, std::string_view name);

// dwStartType of QueryServiceConfigW (needs SERVICE_QUERY_CONFIG): SERVICE_AUTO_START, SERVICE_DISABLED, ...
Result<DWORD> query_start_type(SC_HANDLE service, std::string_view name);

// StartServiceW without waiting; a service already running is Ok.
Status start(SC_HANDLE service, std::string_view name);

// SERVICE_CONTROL_STOP without waiting; a service no longer running (ERROR_SERVICE_NOT_ACTIVE) is Ok. Busy:
// one starting or stopping refuses the control (ERROR_SERVICE_CANNOT_ACCEPT_CTRL); kWait takes that as Ok for
// a caller that then waits for it to stop.
enum class IfBusy { kError, kWait };
Status stop(SC_HANDLE service, std::string_view name, IfBusy busy = IfBusy::kError);

// Polls until the service is in `wanted` (SERVICE_RUNNING, SERVICE_STOPPED, ...). The SCM has no wait on a
// state: the poll is a tenth of the service's wait hint, between 100 ms and 1 s, as its documentation
// advises. An Error "wait for the service to be <wanted>" when it settles in another state (one that is not
// pending: it will not get there by itself) or is still pending after `timeout`.
Status wait_for_state(SC_HANDLE service, std::string_view name, DWORD wanted,
                      std::chrono::milliseconds timeout);

// "running", "stopped", "start-pending", ...; "state-<n>" for a value Windows does not define.
std::string service_state_name(DWORD state);

}  // namespace rdpmend::win
