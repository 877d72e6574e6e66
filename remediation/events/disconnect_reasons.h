#pragma once
// Decoders for the numeric reason codes found in RDP events: the client's discReason (RDPClient 1026,
// the "0x904" in mstsc's dialog) and the extended reason / ERRINFO codes (LSM 40 Reason).
// Sources: learn.microsoft.com termserv imstscaxevents-ondisconnected and extendeddisconnectreasoncode.

#include <cstdint>
#include <string>

namespace rdpmend::events {

// "0x904 (2308) disconnectReasonAtClientWinsockFDCLOSE: socket closed"; unknown codes are named so.
std::string describe_disconnect_reason(std::uint32_t code);

// "7 exDiscReasonServerDeniedConnection: the server denied the connection"
std::string describe_extended_disconnect_reason(std::uint32_t code);

// TermService 1051/1053/1054/1055 in words.
std::string describe_termservice_cert_event(std::uint32_t event_id);

}  // namespace rdpmend::events
