#pragma once
// The Windows listener settings reader (port: inspect/listener_settings.h), and where it reads: the Terminal
// Server key (fDenyTSConnections; WinStations\RDP-Tcp below it), the Group Policy key that overrides some of
// those values, and the Schannel TLS 1.2 Server switch. Tests point all three at a key of their own.

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "inspect/listener_settings.h"
#include "inspect/windows/registry.h"

namespace rdpmend::inspect::windows {

struct ListenerRegistry {
  RegistryLocation terminal_server;  // HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server
  // HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services: fDenyTSConnections, UserAuthentication,
  // SecurityLayer, MinEncryptionLevel set there win over the listener's own (reference 6.1). Unset: not read.
  std::optional<RegistryLocation> policy;

  RegistryLocation rdp_tcp() const { return terminal_server.child(L"WinStations\\RDP-Tcp"); }
};

// The locations for a Terminal Server key. The policy key is the machine's (HKLM) only when the Terminal
// Server key is the machine's real one. (Schannel's switches: inspect/windows/schannel.h.)
ListenerRegistry listener_registry_for(const RegistryLocation& terminal_server);

std::unique_ptr<ListenerSettingsReader> make_listener_settings_reader(ListenerRegistry where);

// RDP-Tcp\SSLCertificateSHA1Hash as upper-case hex: nullopt when absent (the self-signed certificate is
// used); an Error when it is not 20 bytes of REG_BINARY.
Result<std::optional<std::string>> read_configured_certificate_hash(const RegistryLocation& terminal_server);

}  // namespace rdpmend::inspect::windows
