#pragma once
// The Windows Schannel inspector (port: inspect/schannel.h): Enabled and DisabledByDefault of each
// protocol's Server key below `protocols`, judged by schannel_rules.h.

#include <memory>

#include "inspect/schannel.h"
#include "inspect/windows/registry.h"

namespace rdpmend::inspect::windows {

// The Protocols key beside a Terminal Server key, under the same Control key: the machine's
// HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols, and for a test root
// "HKCU\X\Control\Terminal Server" the same path below HKCU\X\Control.
RegistryLocation schannel_protocols_for(const RegistryLocation& terminal_server);

std::unique_ptr<SchannelInspector> make_schannel_inspector(RegistryLocation protocols);

}  // namespace rdpmend::inspect::windows
