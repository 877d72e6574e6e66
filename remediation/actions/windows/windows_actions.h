#pragma once
// The Windows host's actions (TermService), the same ids as the sim and xrdp ones:
//   repair-machinekeys-acl  MachineKeys folder back to O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA), on the
//                           folder only (no propagation to the key files), never through a link
//   repair-rdp-key-acl      the listener's key file to SYSTEM full, Administrators full, NETWORK SERVICE read
//   regenerate-rdp-cert     a self-signed listener certificate removed from `Remote Desktop` (backed up as
//                           DER) so that TermService makes a new one when it restarts
//   restore-firewall-rules  the Remote Desktop inbound rules enabled or re-created (INetFwPolicy2)
//   start-rdp-service / restart-rdp-service  TermService through the service control manager
// Every check refuses without Administrator rights; every object is opened without following a link; every
// backup is JSON that puts back exactly what was there. Paths, store and service names come from
// WindowsActionConfig so that the tests point them at a temporary folder, a throwaway store, a stub service.

#include <windows.h>

#include <wincrypt.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actions/action.h"
#include "catalog/catalog_ids.h"
#include "inspect/windows/registry.h"
#include "platform/windows/win_text.h"

namespace rdpmend::actions {

// What repair-rdp-key-acl gives the key file: SYSTEM and Administrators full control, NETWORK SERVICE (the
// TermService account) read, owner SYSTEM, nothing inherited, nobody else.
inline constexpr const char* kRdpKeyFileSddl = "O:SYG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;NS)";

struct WindowsActionConfig {
  std::wstring machine_keys;      // empty: %ProgramData%\Microsoft\Crypto\RSA\MachineKeys
  std::wstring cng_machine_keys;  // empty: %ProgramData%\Microsoft\Crypto\Keys
  // The self-signed listener certificate: a system store (CERT_SYSTEM_STORE_LOCAL_MACHINE), its name, and
  // the key container TermService gives it (reference 3.2).
  DWORD certificate_store_location = CERT_SYSTEM_STORE_LOCAL_MACHINE;
  std::wstring self_signed_store = L"Remote Desktop";
  std::wstring self_signed_key_container = L"TSSecKeySet1";
  // The RDP service, and the services restarted with it (before it, and only when they run): SessionEnv
  // makes the self-signed certificate (reference 3.3).
  std::wstring rdp_service = win::widen(ids::rdp_service::kWindows);
  std::vector<std::wstring> restart_with = {L"SessionEnv"};
  // Restarted by regenerate-rdp-cert after the removal: it makes the new certificate without ending a
  // session (docs/SESSIONS.md); empty: not restarted (TermService's restart then makes it).
  std::wstring certificate_service = L"SessionEnv";
  // Where SSLCertificateSHA1Hash lives (WinStations\RDP-Tcp below it): a hash pinned to the removed
  // self-signed certificate is cleared with it.
  inspect::windows::RegistryLocation terminal_server{HKEY_LOCAL_MACHINE,
                                                     L"SYSTEM\\CurrentControlSet\\Control\\Terminal Server"};
  std::chrono::milliseconds new_certificate_timeout{15000};  // how long the new certificate may take
  std::chrono::milliseconds service_timeout{60000};          // the longest wait for one service state change
  // Whether the caller may change the host; empty: the calling thread's token holds an enabled
  // BUILTIN\Administrators (CheckTokenMembership), which an unelevated UAC token does not.
  std::function<Result<bool>()> is_administrator;
};

ActionSet make_windows_actions(const WindowsActionConfig& config);

// One factory per action (one file each).
std::unique_ptr<Action> make_machinekeys_acl_action(const WindowsActionConfig& config);
std::unique_ptr<Action> make_rdp_key_acl_action(const WindowsActionConfig& config);
std::unique_ptr<Action> make_certificate_action(const WindowsActionConfig& config);
std::unique_ptr<Action> make_firewall_action(const WindowsActionConfig& config);
std::unique_ptr<Action> make_start_service_action(const WindowsActionConfig& config);
std::unique_ptr<Action> make_restart_service_action(const WindowsActionConfig& config);

}  // namespace rdpmend::actions
