#pragma once
// The Windows firewall inspector (port: inspect/firewall.h), through INetFwPolicy2 (COM, HNetCfg.FwPolicy2).
//
// The built-in rules are found by enumerating the rule set: their stable names
// (RemoteDesktop-UserMode-In-TCP, -UDP) are registry value names that INetFwRule does not expose, and
// INetFwRules::Item takes the localized display name (reference 5.2). A rule is the built-in one when its
// name is the stable name, or when it is an inbound rule of the "Remote Desktop" group
// (@FirewallAPI.dll,-28752) for service termservice with that protocol. What COM cannot answer (Wine returns
// E_NOTIMPL) goes to `error` and stays unknown: no rule is then reported missing.

#include <cstdint>
#include <memory>
#include <string_view>

#include "inspect/firewall.h"

namespace rdpmend::inspect::windows {

inline constexpr const char* kRdpRuleTcp = "RemoteDesktop-UserMode-In-TCP";
inline constexpr const char* kRdpRuleUdp = "RemoteDesktop-UserMode-In-UDP";
inline constexpr const wchar_t* kRemoteDesktopGroup = L"@FirewallAPI.dll,-28752";

std::unique_ptr<FirewallInspector> make_firewall_inspector();

// Whether a rule's LocalPorts ("3389", "3389,3390", "3000-4000", "*", "") lets `port` in. Keywords such as
// "RPC" or "IPHTTPS" never match a fixed port.
bool local_ports_include(std::wstring_view ports, std::uint16_t port);

// "domain,private,public", "all" (NET_FW_PROFILE2_ALL), "" (none).
std::string profile_names(long profiles);

}  // namespace rdpmend::inspect::windows
