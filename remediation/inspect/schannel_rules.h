#pragma once
// What Schannel's server switches mean for the RDP listener, portable so that a Windows snapshot is judged
// the same on Linux. Source: ../shared/reference/rdp-failure-domain.md §6.2 (Microsoft Learn, "Transport
// Layer Security (TLS) registry settings"): Enabled=0 turns a protocol off, DisabledByDefault=1 leaves it to
// applications that ask for it (TermService does not), an absent value is the OS default (TLS 1.2 on since
// Windows 8.1 / Server 2012 R2). When the server side of every protocol the client offers is off, RDP over
// TLS fails with Schannel 36871 (state 10013) or 36874.

#include <cstdint>
#include <string>
#include <vector>

#include "inspect/host_state.h"

namespace rdpmend::inspect {

// The protocols read, in this order.
inline constexpr const char* kSchannelProtocols[] = {"TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"};

// Offered by a server that negotiates by itself: not Enabled=0 and not DisabledByDefault=1. An absent
// value counts as on for TLS 1.2 (the OS default since 2013); for TLS 1.3 only an explicit Enabled=1 does,
// since the OS default depends on the Windows version (on from Server 2022 / Windows 11).
bool server_offers(const SchannelProtocol& protocol);
// TLS 1.2 or TLS 1.3 is offered: current RDP clients negotiate nothing older.
bool offers_current_tls(const std::vector<SchannelProtocol>& server);
// The PowerShell lines that turn TLS 1.2 on for servers again (empty when it is offered).
std::vector<std::string> tls12_restore_commands(const std::vector<SchannelProtocol>& server);
// Fills offers_current_tls and restore_commands from the switches read.
void judge_schannel(SchannelState& state);

}  // namespace rdpmend::inspect
