// make_local_host for Windows: this machine's registry, certificate stores, key folders, firewall and
// services.
#include <windows.h>

#include "inspect/host.h"
#include "inspect/windows/certificate_state.h"
#include "inspect/windows/firewall.h"
#include "inspect/windows/key_access.h"
#include "inspect/windows/listener_settings.h"
#include "inspect/windows/schannel.h"
#include "inspect/windows/services.h"
#include "inspect/windows/sessions.h"
#include "platform/windows/win_text.h"

namespace rdpmend::inspect {
namespace {

// The DNS name (host.domain on a domain member), else the NetBIOS name.
std::string computer_name() {
  for (COMPUTER_NAME_FORMAT format : {ComputerNameDnsFullyQualified, ComputerNameNetBIOS}) {
    DWORD size = 0;
    GetComputerNameExW(format, nullptr, &size);
    if (size == 0) continue;
    std::wstring name(size, L'\0');
    if (GetComputerNameExW(format, name.data(), &size) && size > 0) {
      name.resize(size);
      return win::narrow(name);
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Host>> make_local_host(const LocalHostConfig& config) {
  auto terminal_server = windows::parse_registry_location(config.terminal_server_key);
  if (!terminal_server) return terminal_server.error();

  auto host = std::make_unique<Host>();
  host->platform = "windows";
  host->hostname = computer_name();
  host->service_account = "NT AUTHORITY\\NETWORK SERVICE";
  host->listener =
      windows::make_listener_settings_reader(windows::listener_registry_for(terminal_server.value()));
  windows::CertificateLocations certificates;
  certificates.terminal_server = terminal_server.value();
  host->certificate = windows::make_certificate_inspector(std::move(certificates));
  host->key_access = windows::make_key_access_inspector({});
  host->firewall = windows::make_firewall_inspector();
  host->services = windows::make_service_inspector();
  host->sessions = windows::make_session_inspector();
  host->schannel = windows::make_schannel_inspector(windows::schannel_protocols_for(terminal_server.value()));
  host->probe_listener = [](const ListenerSettings& listener) {
    return std::optional<SelfProbe>(probe_local_listener(listener));
  };
  return host;
}

}  // namespace rdpmend::inspect
