#pragma once
// What an administrator runs on Windows to let RDP in again as restore-firewall-rules would: enable the
// built-in Remote Desktop rules that are off, re-create one that is gone, by their stable names, in
// PowerShell (the NetSecurity module of Windows 8 / Server 2012 and later). By name, never by the display
// group, which is localized (../shared/reference/rdp-failure-domain.md §5.1-5.2: the group
// `@FirewallAPI.dll,-28752`, the rules' program svchost.exe and service termservice). Portable: a Windows
// snapshot read on Linux shows the same commands.

#include <cstdint>
#include <string>
#include <vector>

#include "inspect/host_state.h"

namespace rdpmend::inspect {

std::vector<std::string> windows_firewall_restore_commands(const FirewallState& firewall, std::uint16_t port);

}  // namespace rdpmend::inspect
