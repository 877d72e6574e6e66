#pragma once
// The service control manager's side of `rdpmend service install|uninstall|status`: create the service with
// the settings the agent needs (description, service SID, trimmed privileges, restart on failure,
// preshutdown), start it, stop and delete it, read its state. Every failure is an Error with the Win32 error
// text.

#include <windows.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace rdpmend::service {

inline constexpr const wchar_t* kDefaultServiceName = L"RdpMend";
inline constexpr const wchar_t* kServiceDisplayName = L"RdpMend Remote Desktop self-healing agent";
// How long a stop may take: the action in progress finishes or rolls back. Also the preshutdown timeout.
inline constexpr std::chrono::milliseconds kStopBudget{30'000};

struct InstallSpec {
  std::wstring name = kDefaultServiceName;
  std::wstring display_name = kServiceDisplayName;
  std::wstring command_line;  // the ImagePath: "<exe>" service run [options]
};

// Creates the service (own process, automatic start, LocalSystem) and configures it. A setting this service
// control manager does not know (ERROR_INVALID_LEVEL: Wine) is returned as a warning and the rest goes on;
// any other failure removes the half-made service and is an Error.
Result<std::vector<std::string>> install_service(const InstallSpec& spec);

// Gives an existing service (one the MSI's ServiceInstall created) the same settings install_service gives:
// the MSI runs `rdpmend service configure` for this. Warnings as for install_service.
Result<std::vector<std::string>> configure_service(const std::wstring& name);

// Starts the service and waits until it runs; an Error when it stops instead (with its exit code) or is
// still starting after `wait`.
Status start_service(const std::wstring& name, std::chrono::milliseconds wait);

// Stops the service (waiting at most `stop_wait`), then deletes it. Not installed: Ok with removed = false.
struct Uninstalled {
  bool removed = false;
};
Result<Uninstalled> uninstall_service(const std::wstring& name, std::chrono::milliseconds stop_wait);

struct ServiceState {
  bool installed = false;
  DWORD state = 0;  // SERVICE_RUNNING, ...; 0 when not installed
  DWORD pid = 0;
  DWORD win32_exit_code = 0;
  DWORD service_exit_code = 0;  // meaningful when win32_exit_code == ERROR_SERVICE_SPECIFIC_ERROR
};
Result<ServiceState> query_service(const std::wstring& name);

// One argument quoted for a Windows command line (the CommandLineToArgvW / C runtime rules).
std::wstring quote_argument(const std::wstring& argument);

}  // namespace rdpmend::service
