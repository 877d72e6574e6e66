#pragma once
// Port: the listener's configuration. Reads state, never changes it.
// windows/: HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server (fDenyTSConnections) and
// ...\WinStations\RDP-Tcp (UserAuthentication, SecurityLayer, PortNumber, MinEncryptionLevel), the Schannel
// TLS 1.2 Server switches, and the listener certificate settings. linux/: xrdp.ini.

#include "inspect/host_state.h"

namespace rdpmend::inspect {

class ListenerSettingsReader {
 public:
  virtual ~ListenerSettingsReader() = default;
  virtual ListenerSettings read() = 0;
};

}  // namespace rdpmend::inspect
