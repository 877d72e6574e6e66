#include "platform/windows/scm.h"

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "platform/windows/win_text.h"

namespace rdpmend::win {
namespace {

Error os_error(std::string what, std::string_view name, DWORD code) {
  return Error{std::move(what), std::string(name), error_text(code)};
}

bool pending(DWORD state) {
  return state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING ||
         state == SERVICE_CONTINUE_PENDING || state == SERVICE_PAUSE_PENDING;
}

}  // namespace

Result<Scm> Scm::connect(DWORD access) {
  UniqueServiceHandle manager(OpenSCManagerW(nullptr, nullptr, access));
  if (!manager) return os_error("open the service control manager", "this computer", GetLastError());
  return Scm(std::move(manager));
}

Result<UniqueServiceHandle> Scm::open(const std::wstring& name, DWORD access, IfMissing missing) const {
  UniqueServiceHandle service(OpenServiceW(manager_.get(), name.c_str(), access));
  if (!service) {
    const DWORD code = GetLastError();
    if (missing == IfMissing::kEmpty && code == ERROR_SERVICE_DOES_NOT_EXIST) return UniqueServiceHandle();
    return os_error("open the service", narrow(name), code);
  }
  return service;
}

Result<SERVICE_STATUS_PROCESS> query_status(SC_HANDLE service, std::string_view name) {
  SERVICE_STATUS_PROCESS s{};
  DWORD needed = 0;
  if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&s), sizeof s, &needed))
    return os_error("query the status of the service", name, GetLastError());
  return s;
}

Result<DWORD> query_start_type(SC_HANDLE service, std::string_view name) {
  // The first call only sizes the variable-length configuration (its strings follow the struct).
  DWORD needed = 0;
  QueryServiceConfigW(service, nullptr, 0, &needed);
  const DWORD code = GetLastError();
  if (code != ERROR_INSUFFICIENT_BUFFER || needed == 0)
    return os_error("query the configuration of the service", name, code);
  // uint64_t elements: QUERY_SERVICE_CONFIGW's alignment.
  std::vector<std::uint64_t> buffer((needed + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
  if (!QueryServiceConfigW(service, config, static_cast<DWORD>(buffer.size() * sizeof(std::uint64_t)),
                           &needed))
    return os_error("query the configuration of the service", name, GetLastError());
  return config->dwStartType;
}

Status start(SC_HANDLE service, std::string_view name) {
  if (!StartServiceW(service, 0, nullptr) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING)
    return os_error("start the service", name, GetLastError());
  return Ok{};
}

Status stop(SC_HANDLE service, std::string_view name, IfBusy busy) {
  SERVICE_STATUS ignored{};
  if (ControlService(service, SERVICE_CONTROL_STOP, &ignored)) return Ok{};
  const DWORD code = GetLastError();
  if (code == ERROR_SERVICE_NOT_ACTIVE) return Ok{};  // it stopped meanwhile
  if (busy == IfBusy::kWait && code == ERROR_SERVICE_CANNOT_ACCEPT_CTRL) return Ok{};
  return os_error("stop the service", name, code);
}

Status wait_for_state(SC_HANDLE service, std::string_view name, DWORD wanted,
                      std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto s = query_status(service, name);
    if (!s) return s.error();
    const DWORD state = s.value().dwCurrentState;
    if (state == wanted) return Ok{};
    if (!pending(state))
      return Error{"wait for the service to be " + service_state_name(wanted), std::string(name),
                   "it is " + service_state_name(state)};
    if (std::chrono::steady_clock::now() >= deadline)
      return Error{
          "wait for the service to be " + service_state_name(wanted), std::string(name),
          "still " + service_state_name(state) + " after " + std::to_string(timeout.count()) + " ms"};
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::clamp<DWORD>(s.value().dwWaitHint / 10, 100, 1000)));
  }
}

std::string service_state_name(DWORD state) {
  switch (state) {
    case SERVICE_STOPPED:
      return "stopped";
    case SERVICE_START_PENDING:
      return "start-pending";
    case SERVICE_STOP_PENDING:
      return "stop-pending";
    case SERVICE_RUNNING:
      return "running";
    case SERVICE_CONTINUE_PENDING:
      return "continue-pending";
    case SERVICE_PAUSE_PENDING:
      return "pause-pending";
    case SERVICE_PAUSED:
      return "paused";
    default:
      return "state-" + std::to_string(state);
  }
}

}  // namespace rdpmend::win
