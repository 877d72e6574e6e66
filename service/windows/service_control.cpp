#include "windows/service_control.h"

#include "platform/windows/handles.h"
#include "platform/windows/scm.h"
#include "platform/windows/win_text.h"

namespace rdpmend::service {
namespace {

// The privileges the service's token keeps (SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO); LocalSystem's others
// are removed from the process token at start. Each one, and why the agent needs it:
//   SeBackupPrivilege        remediation/actions/windows/file_acl.cpp enables it (ThreadPrivileges) to open
//                            the MachineKeys folder and an RDP key file for READ_CONTROL whatever their DACL
//                            says: a DACL broken so that SYSTEM is left out must still be read and backed up.
//   SeRestorePrivilege       file_acl.cpp enables it to write a DACL and owner back (WRITE_DAC, WRITE_OWNER)
//                            on a key whose DACL no longer grants them, and to set an owner other than SYSTEM
//                            (the owner the backup recorded: rollback).
//   SeTakeOwnershipPrivilege file_acl.cpp enables it with the two above: taking ownership is the last way to
//                            get WRITE_DAC on a key container whose owner and DACL both shut SYSTEM out.
//   SeSecurityPrivilege      the SACL (ACCESS_SYSTEM_SECURITY): no action enables it today (file_acl.cpp
//   reads
//                            and writes owner, group and DACL only); kept so a key container's audit entries
//                            can be read and preserved by the ACL repair. The first one to drop if the
//                            repair stays DACL-only.
//   SeChangeNotifyPrivilege  "bypass traverse checking": reaching
//   %ProgramData%\Microsoft\Crypto\RSA\MachineKeys
//                            and the journal through folders whose DACLs do not grant SYSTEM traverse access.
//                            Windows gives it to every account, but a required-privileges list removes what
//                            it does not name.
// Not kept: SeTcbPrivilege, SeDebugPrivilege, SeImpersonatePrivilege (ImpersonateSelf needs none),
// SeLoadDriverPrivilege, SeAssignPrimaryTokenPrivilege, ...: the SCM, crypt32/CNG, the firewall COM API and
// the Event Log check the account's rights (LocalSystem), not privileges.
constexpr wchar_t kRequiredPrivileges[] =
    L"SeBackupPrivilege\0"
    L"SeRestorePrivilege\0"
    L"SeTakeOwnershipPrivilege\0"
    L"SeSecurityPrivilege\0"
    L"SeChangeNotifyPrivilege\0";  // the literal's own terminator ends the list (REG_MULTI_SZ)

constexpr const wchar_t* kDescription =
    L"Watches the Event Log for Remote Desktop connection failures (error 0x904 and its kind), checks the "
    L"host state behind them (listener certificate and key, MachineKeys ACL, firewall rules, services) and "
    L"repairs what Group Policy allows. Log: %ProgramData%\\RdpMend\\logs.";

Error os_error(std::string what, const std::wstring& object, DWORD code) {
  return Error{std::move(what), win::narrow(object), win::error_text(code)};
}

std::string exit_text(const SERVICE_STATUS_PROCESS& s) {
  if (s.dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR)
    return "exit status " + std::to_string(s.dwServiceSpecificExitCode) + " (rdpmend's exit statuses)";
  return win::error_text(s.dwWin32ExitCode);
}

// Sets one ChangeServiceConfig2W setting; ERROR_INVALID_LEVEL (the SCM does not know the setting) is a
// warning.
Status configure(SC_HANDLE service, const std::wstring& name, DWORD level, void* info, const char* what,
                 std::vector<std::string>& warnings) {
  if (ChangeServiceConfig2W(service, level, info)) return Ok{};
  const DWORD code = GetLastError();
  if (code == ERROR_INVALID_LEVEL) {
    warnings.push_back(std::string(what) + ": not supported by this service control manager (" +
                       win::error_text(code) + "); not set");
    return Ok{};
  }
  return os_error(std::string("set the service's ") + what, name, code);
}

Status configure_all(SC_HANDLE service, const std::wstring& name, std::vector<std::string>& warnings) {
  SERVICE_DESCRIPTIONW description{const_cast<wchar_t*>(kDescription)};
  if (auto ok = configure(service, name, SERVICE_CONFIG_DESCRIPTION, &description, "description", warnings);
      !ok)
    return ok;

  // Its own SID (NT SERVICE\<name>), so files and keys can be granted to this service alone.
  SERVICE_SID_INFO sid{SERVICE_SID_TYPE_UNRESTRICTED};
  if (auto ok = configure(service, name, SERVICE_CONFIG_SERVICE_SID_INFO, &sid, "service SID type", warnings);
      !ok)
    return ok;

  SERVICE_REQUIRED_PRIVILEGES_INFOW privileges{const_cast<wchar_t*>(kRequiredPrivileges)};
  if (auto ok = configure(service, name, SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO, &privileges,
                          "required privileges", warnings);
      !ok)
    return ok;

  // Restart after 10 s, then after 60 s, then stay stopped; the count starts again after a day without one.
  SC_ACTION actions[] = {{SC_ACTION_RESTART, 10'000}, {SC_ACTION_RESTART, 60'000}, {SC_ACTION_NONE, 0}};
  SERVICE_FAILURE_ACTIONSW failure{};
  failure.dwResetPeriod = 24 * 60 * 60;
  failure.cActions = static_cast<DWORD>(std::size(actions));
  failure.lpsaActions = actions;
  if (auto ok =
          configure(service, name, SERVICE_CONFIG_FAILURE_ACTIONS, &failure, "failure actions", warnings);
      !ok)
    return ok;
  // Also when the agent stops itself with an error (journal locked, configuration unreadable), not only when
  // the process dies.
  SERVICE_FAILURE_ACTIONS_FLAG on_error{TRUE};
  if (auto ok = configure(service, name, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &on_error,
                          "failure actions on a non-crash failure", warnings);
      !ok)
    return ok;

  SERVICE_PRESHUTDOWN_INFO preshutdown{static_cast<DWORD>(kStopBudget.count())};
  return configure(service, name, SERVICE_CONFIG_PRESHUTDOWN_INFO, &preshutdown, "preshutdown timeout",
                   warnings);
}

}  // namespace

std::wstring quote_argument(const std::wstring& argument) {
  if (!argument.empty() && argument.find_first_of(L" \t\n\v\"") == std::wstring::npos) return argument;
  std::wstring quoted = L"\"";
  std::size_t backslashes = 0;
  for (wchar_t c : argument) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    // Backslashes are literal unless they precede a quote: then each is doubled and the quote escaped.
    quoted.append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    backslashes = 0;
    quoted += c;
  }
  quoted.append(backslashes * 2, L'\\');  // before the closing quote
  quoted += L'"';
  return quoted;
}

Result<std::vector<std::string>> install_service(const InstallSpec& spec) {
  auto scm = win::Scm::connect(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE);
  if (!scm) return scm.error();
  win::UniqueServiceHandle service(CreateServiceW(
      scm.value().get(), spec.name.c_str(), spec.display_name.c_str(),
      SERVICE_CHANGE_CONFIG | SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS | DELETE, SERVICE_WIN32_OWN_PROCESS,
      SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, spec.command_line.c_str(), nullptr, nullptr, nullptr,
      nullptr /* LocalSystem */, nullptr));
  if (!service) {
    const DWORD code = GetLastError();
    if (code == ERROR_SERVICE_EXISTS)
      return Error{
          "install the service", win::narrow(spec.name),
          "it is already installed (" + win::error_text(code) + "): run `rdpmend service uninstall` first"};
    return os_error("install the service", spec.name, code);
  }
  std::vector<std::string> warnings;
  if (auto configured = configure_all(service.get(), spec.name, warnings); !configured) {
    DeleteService(service.get());  // no half-configured service is left behind
    return configured.error();
  }
  return warnings;
}

Result<std::vector<std::string>> configure_service(const std::wstring& name) {
  auto scm = win::Scm::connect();
  if (!scm) return scm.error();
  auto service = scm.value().open(name, SERVICE_CHANGE_CONFIG | SERVICE_QUERY_CONFIG);
  if (!service) {
    Error e = service.error();
    e.what = "open the service to configure it";
    return e;
  }
  std::vector<std::string> warnings;
  if (auto configured = configure_all(service.value().get(), name, warnings); !configured)
    return configured.error();
  return warnings;
}

Status start_service(const std::wstring& name, std::chrono::milliseconds wait) {
  const std::string text_name = win::narrow(name);
  auto scm = win::Scm::connect();
  if (!scm) return scm.error();
  auto service = scm.value().open(name, SERVICE_START | SERVICE_QUERY_STATUS);
  if (!service) return service.error();
  if (auto started = win::start(service.value().get(), text_name); !started) return started;
  auto running = win::wait_for_state(service.value().get(), text_name, SERVICE_RUNNING, wait);
  if (running) return Ok{};
  // One that stopped instead says why in its exit code: the administrator's first clue.
  auto s = win::query_status(service.value().get(), text_name);
  if (s && s.value().dwCurrentState == SERVICE_STOPPED)
    return Error{"start the service", text_name,
                 "it stopped: " + exit_text(s.value()) + "; its log and the Application event log say why"};
  return running;
}

Result<Uninstalled> uninstall_service(const std::wstring& name, std::chrono::milliseconds stop_wait) {
  const std::string text_name = win::narrow(name);
  auto scm = win::Scm::connect();
  if (!scm) return scm.error();
  auto opened = scm.value().open(name, SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE, win::IfMissing::kEmpty);
  if (!opened) return opened.error();
  if (!opened.value()) return Uninstalled{false};
  SC_HANDLE service = opened.value().get();
  auto s = win::query_status(service, text_name);
  if (!s) return s.error();
  if (s.value().dwCurrentState != SERVICE_STOPPED) {
    // One starting or stopping cannot take the control now: wait for it.
    if (s.value().dwCurrentState != SERVICE_STOP_PENDING) {
      if (auto stopping = win::stop(service, text_name, win::IfBusy::kWait); !stopping)
        return stopping.error();
    }
    if (auto stopped = win::wait_for_state(service, text_name, SERVICE_STOPPED, stop_wait); !stopped) {
      Error e = stopped.error();
      e.detail += "; not removed (end its process, then uninstall again)";
      return e;
    }
  }
  if (!DeleteService(service) && GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE)
    return os_error("delete the service", name, GetLastError());
  return Uninstalled{true};
}

Result<ServiceState> query_service(const std::wstring& name) {
  auto scm = win::Scm::connect();
  if (!scm) return scm.error();
  auto service = scm.value().open(name, SERVICE_QUERY_STATUS, win::IfMissing::kEmpty);
  if (!service) return service.error();
  if (!service.value()) return ServiceState{};
  auto s = win::query_status(service.value().get(), win::narrow(name));
  if (!s) return s.error();
  ServiceState state;
  state.installed = true;
  state.state = s.value().dwCurrentState;
  state.pid = s.value().dwProcessId;
  state.win32_exit_code = s.value().dwWin32ExitCode;
  state.service_exit_code = s.value().dwServiceSpecificExitCode;
  return state;
}

}  // namespace rdpmend::service
