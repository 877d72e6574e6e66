#pragma once
// Port: Schannel's server protocol switches, which decide whether the RDP listener can speak TLS at all.
// Reads state, never changes it (RdpMend never re-enables a protocol: it may be off on purpose).
// windows/: HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\<protocol>\Server.
// sim/: the snapshot's "schannel". xrdp has none (OpenSSL's protocol range is xrdp.ini's ssl_protocols).

#include "inspect/host_state.h"

namespace rdpmend::inspect {

class SchannelInspector {
 public:
  virtual ~SchannelInspector() = default;
  // The switches as read, judged (schannel_rules.h); an unreadable value is the state's error.
  virtual SchannelState inspect() = 0;
};

}  // namespace rdpmend::inspect
