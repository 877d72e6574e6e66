#pragma once
// RDP connection negotiation on the wire ([MS-RDPBCGR] 2.2.1.1 / 2.2.1.2): the TPKT + X.224 Connection
// Request with RDP_NEG_REQ, and the decoding of what a server answers. Bytes in, bytes out; no I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rdpmend::probe {

// requestedProtocols / selectedProtocol bits.
inline constexpr std::uint32_t kProtocolRdp = 0x0;
inline constexpr std::uint32_t kProtocolSsl = 0x1;
inline constexpr std::uint32_t kProtocolHybrid = 0x2;
inline constexpr std::uint32_t kProtocolRdstls = 0x4;
inline constexpr std::uint32_t kProtocolHybridEx = 0x8;
inline constexpr std::uint32_t kProtocolRdsaad = 0x10;

// "SSL|HYBRID", "RDP" for 0.
std::string protocol_names(std::uint32_t protocols);
// Parses "rdp", "ssl", "hybrid", "ssl+hybrid", "hybrid_ex", "rdstls", "rdsaad", or a number ("0x3").
std::optional<std::uint32_t> parse_protocols(std::string_view text);

// RDP_NEG_FAILURE failureCode names (SSL_REQUIRED_BY_SERVER, ...); "UNKNOWN_FAILURE_CODE_N" otherwise.
std::string failure_code_name(std::uint32_t code);

struct ConnectionRequest {
  std::uint32_t requested_protocols = kProtocolSsl | kProtocolHybrid;
  bool include_negotiation = true;  // false: a legacy request, as pre-RDP 5.2 clients send
  std::string cookie;               // "Cookie: mstshash=NAME" routing token, empty for none
};

std::vector<std::uint8_t> encode_connection_request(const ConnectionRequest& request);

// TPKT header (4 bytes): the total length of the packet, or nullopt if these bytes are not a TPKT header.
std::optional<std::size_t> tpkt_length(std::span<const std::uint8_t> header);

struct NegotiationResponse {
  std::uint32_t selected_protocol = 0;
  std::uint8_t flags = 0;
};
struct NegotiationFailure {
  std::uint32_t code = 0;
};
struct LegacyConfirm {};  // a Connection Confirm without negotiation data: Standard RDP Security only
struct Malformed {
  std::string reason;
};
using ConnectionConfirm = std::variant<NegotiationResponse, NegotiationFailure, LegacyConfirm, Malformed>;

// Decodes a whole TPKT packet that should hold an X.224 Connection Confirm.
ConnectionConfirm decode_connection_confirm(std::span<const std::uint8_t> packet);

// NEG_RSP flags in words: "EXTENDED_CLIENT_DATA_SUPPORTED|DYNVC_GFX_PROTOCOL_SUPPORTED".
std::string response_flag_names(std::uint8_t flags);

// What a server sent where a TLS handshake was expected.
enum class ReplyKind {
  kTlsRecord,  // a TLS record header (handshake, alert, ...)
  kX224Data,   // a TPKT + X.224 Data TPDU in plaintext (e.g. xrdp's MCS disconnect on key mismatch)
  kMcsDisconnectUltimatum,  // ... carrying an MCS Disconnect Provider Ultimatum
  kOther,
};
struct ReplyClassification {
  ReplyKind kind = ReplyKind::kOther;
  std::string description;
};
ReplyClassification classify_reply(std::span<const std::uint8_t> first_bytes);

}  // namespace rdpmend::probe
