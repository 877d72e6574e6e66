#include "probe/rdp_negotiation.h"

#include <cstdio>

namespace rdpmend::probe {
namespace {

struct Named {
  std::uint32_t bit;
  const char* name;
};
constexpr Named kProtocols[] = {{kProtocolSsl, "SSL"},
                                {kProtocolHybrid, "HYBRID"},
                                {kProtocolRdstls, "RDSTLS"},
                                {kProtocolHybridEx, "HYBRID_EX"},
                                {kProtocolRdsaad, "RDSAAD"}};

constexpr std::uint8_t kTpktVersion = 3;
constexpr std::uint8_t kX224ConnectionRequest = 0xE0;
constexpr std::uint8_t kX224ConnectionConfirm = 0xD0;
constexpr std::uint8_t kX224Data = 0xF0;
constexpr std::uint8_t kTypeNegRequest = 0x01;
constexpr std::uint8_t kTypeNegResponse = 0x02;
constexpr std::uint8_t kTypeNegFailure = 0x03;

std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
         (static_cast<std::uint32_t>(b[at + 2]) << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

std::string hex_byte(std::uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

}  // namespace

std::string protocol_names(std::uint32_t protocols) {
  if (protocols == kProtocolRdp) return "RDP";
  std::string out;
  std::uint32_t known = 0;
  for (const auto& p : kProtocols) {
    known |= p.bit;
    if (protocols & p.bit) out += (out.empty() ? "" : "|") + std::string(p.name);
  }
  if (protocols & ~known) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%X", protocols & ~known);
    out += (out.empty() ? "" : "|") + std::string(buf);
  }
  return out;
}

std::optional<std::uint32_t> parse_protocols(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.starts_with("0x") || text.starts_with("0X") || (text[0] >= '0' && text[0] <= '9')) {
    std::uint32_t value = 0;
    try {
      std::size_t used = 0;
      unsigned long v = std::stoul(std::string(text), &used, 0);
      if (used != text.size() || v > 0xFFFFFFFFul) return std::nullopt;
      value = static_cast<std::uint32_t>(v);
    } catch (...) {
      return std::nullopt;
    }
    return value;
  }
  std::uint32_t value = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find_first_of("+|,", start);
    auto word = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (word == "rdp") {
    } else if (word == "ssl" || word == "tls") {
      value |= kProtocolSsl;
    } else if (word == "hybrid" || word == "nla" || word == "credssp") {
      value |= kProtocolHybrid;
    } else if (word == "rdstls") {
      value |= kProtocolRdstls;
    } else if (word == "hybrid_ex") {
      value |= kProtocolHybridEx;
    } else if (word == "rdsaad") {
      value |= kProtocolRdsaad;
    } else {
      return std::nullopt;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return value;
}

std::string failure_code_name(std::uint32_t code) {
  switch (code) {
    case 1:
      return "SSL_REQUIRED_BY_SERVER";
    case 2:
      return "SSL_NOT_ALLOWED_BY_SERVER";
    case 3:
      return "SSL_CERT_NOT_ON_SERVER";
    case 4:
      return "INCONSISTENT_FLAGS";
    case 5:
      return "HYBRID_REQUIRED_BY_SERVER";
    case 6:
      return "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER";
    default:
      return "UNKNOWN_FAILURE_CODE_" + std::to_string(code);
  }
}

std::string response_flag_names(std::uint8_t flags) {
  static constexpr Named kFlags[] = {{0x01, "EXTENDED_CLIENT_DATA_SUPPORTED"},
                                     {0x02, "DYNVC_GFX_PROTOCOL_SUPPORTED"},
                                     {0x04, "NEGRSP_FLAG_RESERVED"},
                                     {0x08, "RESTRICTED_ADMIN_MODE_SUPPORTED"},
                                     {0x10, "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED"}};
  std::string out;
  for (const auto& f : kFlags)
    if (flags & f.bit) out += (out.empty() ? "" : "|") + std::string(f.name);
  if (flags & 0xE0) out += (out.empty() ? "" : "|") + hex_byte(flags & 0xE0);
  return out;
}

std::vector<std::uint8_t> encode_connection_request(const ConnectionRequest& request) {
  // TPKT header (length filled in at the end), then the X.224 Connection Request.
  std::vector<std::uint8_t> packet = {
      kTpktVersion, 0, 0, 0, 0 /* LI */, kX224ConnectionRequest, 0, 0, 0, 0, 0};
  packet.reserve(64 + request.cookie.size());
  if (!request.cookie.empty()) {
    for (char c : "Cookie: mstshash=" + request.cookie + "\r\n")
      packet.push_back(static_cast<std::uint8_t>(c));
  }
  if (request.include_negotiation) {
    std::uint32_t p = request.requested_protocols;
    for (std::uint8_t b : {kTypeNegRequest, std::uint8_t{0}, std::uint8_t{8}, std::uint8_t{0}})
      packet.push_back(b);
    for (int shift = 0; shift < 32; shift += 8) packet.push_back(static_cast<std::uint8_t>(p >> shift));
  }
  packet[2] = static_cast<std::uint8_t>(packet.size() >> 8);
  packet[3] = static_cast<std::uint8_t>(packet.size());
  packet[4] = static_cast<std::uint8_t>(packet.size() -
                                        5);  // the length indicator excludes itself and the TPKT header
  return packet;
}

std::optional<std::size_t> tpkt_length(std::span<const std::uint8_t> header) {
  if (header.size() < 4 || header[0] != kTpktVersion || header[1] != 0) return std::nullopt;
  std::size_t length = (static_cast<std::size_t>(header[2]) << 8) | header[3];
  if (length < 4 + 3) return std::nullopt;  // TPKT header + the shortest X.224 TPDU
  return length;
}

ConnectionConfirm decode_connection_confirm(std::span<const std::uint8_t> packet) {
  auto length = tpkt_length(packet);
  if (!length) return Malformed{"not a TPKT packet"};
  if (*length != packet.size())
    return Malformed{"TPKT length " + std::to_string(*length) + " but " + std::to_string(packet.size()) +
                     " bytes"};
  auto x224 = packet.subspan(4);
  std::size_t li = x224[0];
  if (li + 1 != x224.size())
    return Malformed{"X.224 length indicator " + std::to_string(li) + " does not match"};
  if (li < 6) return Malformed{"X.224 header too short"};
  if ((x224[1] & 0xF0) != kX224ConnectionConfirm)
    return Malformed{"X.224 TPDU " + hex_byte(x224[1]) + " is not a Connection Confirm"};
  auto rest = x224.subspan(7);
  if (rest.empty()) return LegacyConfirm{};
  if (rest.size() != 8)
    return Malformed{"negotiation data of " + std::to_string(rest.size()) + " bytes (expected 8)"};
  std::uint16_t neg_length = static_cast<std::uint16_t>(rest[2] | (rest[3] << 8));
  if (neg_length != 8)
    return Malformed{"negotiation length field " + std::to_string(neg_length) + " (expected 8)"};
  switch (rest[0]) {
    case kTypeNegResponse:
      return NegotiationResponse{le32(rest, 4), rest[1]};
    case kTypeNegFailure:
      return NegotiationFailure{le32(rest, 4)};
    default:
      return Malformed{"negotiation type " + hex_byte(rest[0]) + " is neither a response nor a failure"};
  }
}

ReplyClassification classify_reply(std::span<const std::uint8_t> b) {
  if (b.size() >= 3 && b[0] >= 0x14 && b[0] <= 0x18 && b[1] == 0x03 && b[2] <= 0x04) {
    static constexpr const char* kTypes[] = {"change_cipher_spec", "alert", "handshake", "application_data",
                                             "heartbeat"};
    std::string text = std::string("TLS ") + kTypes[b[0] - 0x14] + " record";
    if (b[0] == 0x15 && b.size() >= 7)
      text += " (alert level " + std::to_string(b[5]) + ", description " + std::to_string(b[6]) + ")";
    return {ReplyKind::kTlsRecord, text};
  }
  if (b.size() >= 7 && b[0] == kTpktVersion && b[1] == 0 && b[4] == 2 && b[5] == kX224Data) {
    // MCS Disconnect Provider Ultimatum: PER choice 8 in the top 6 bits of the first byte (0x20 | reason>>1).
    if (b.size() >= 9 && (b[7] & 0xFC) == 0x20) {
      unsigned reason = ((b[7] & 0x03) << 1) | (b[8] >> 7);
      return {ReplyKind::kMcsDisconnectUltimatum,
              "plaintext X.224 Data with an MCS Disconnect Provider Ultimatum (reason " +
                  std::to_string(reason) + ") where a TLS handshake was expected"};
    }
    return {ReplyKind::kX224Data, "plaintext X.224 Data where a TLS handshake was expected"};
  }
  std::string hex;
  for (std::size_t i = 0; i < b.size() && i < 16; ++i) hex += (i ? " " : "") + hex_byte(b[i]).substr(2);
  return {ReplyKind::kOther, "unexpected bytes: " + hex};
}

}  // namespace rdpmend::probe
