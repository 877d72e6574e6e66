#include "events/disconnect_reasons.h"

#include <cstdio>

namespace rdpmend::events {
namespace {

struct Code {
  std::uint32_t value;
  const char* name;
  const char* meaning;
};

// learn.microsoft.com/windows/win32/termserv/imstscaxevents-ondisconnected
constexpr Code kDisconnectReasons[] = {
    {0x0, "disconnectReasonNoInfo", "no information"},
    {0x1, "disconnectReasonLocalNotError", "local disconnection, not an error"},
    {0x2, "disconnectReasonRemoteByUser", "remote disconnection by user, not an error"},
    {0x3, "disconnectReasonByServer", "remote disconnection by server, not an error"},
    {0x104, "disconnectReasonDNSLookupFailed", "DNS lookup failed"},
    {0x106, "disconnectReasonOutOfMemory", "out of memory"},
    {0x108, "disconnectReasonConnectionTimedOut", "connection timed out"},
    {0x204, "disconnectReasonSocketConnectFailed",
     "could not connect: host down, port filtered, listener not running or Remote Desktop disabled"},
    {0x206, "disconnectReasonOutOfMemory2", "out of memory"},
    {0x208, "disconnectReasonHostNotFound", "host not found"},
    {0x304, "disconnectReasonWinsockSendFailed", "Winsock send failed"},
    {0x306, "disconnectReasonOutOfMemory3", "out of memory"},
    {0x308, "disconnectReasonInvalidIPAddr", "IP address not valid"},
    {0x404, "disconnectReasonSocketRecvFailed", "Winsock recv failed"},
    {0x406, "disconnectReasonInvalidSecurityData", "security data not valid"},
    {0x408, "disconnectReasonInternalError", "internal error"},
    {0x506, "disconnectReasonInvalidEncryption", "encryption method not valid"},
    {0x508, "disconnectReasonDNSLookupFailed2", "DNS lookup failed"},
    {0x604, "disconnectReasonGetHostByNameFailed", "gethostbyname failed"},
    {0x606, "disconnectReasonInvalidServerSecurityInfo", "server security data not valid"},
    {0x608, "disconnectReasonTimerError", "internal timer error"},
    {0x704, "disconnectReasonTimeoutOccurred", "time-out occurred"},
    {0x706, "disconnectReasonServerCertificateUnpackErr", "failed to unpack the server certificate"},
    {0x804, "disconnectReasonInvalidIP", "bad IP address"},
    {0x807, "SSL_ERR_LOGON_FAILURE", "logon failed"},
    {0x808, "disconnectReasonLicensingFailed", "license negotiation failed"},
    {0x904, "disconnectReasonAtClientWinsockFDCLOSE",
     "socket closed: the server ended the connection during setup (check the host's certificate, key and "
     "security "
     "layer events)"},
    {0x906, "disconnectReasonInternalSecurityError", "internal security error"},
    {0x908, "disconnectReasonLicensingTimeout", "licensing time-out"},
    {0xA06, "disconnectReasonInternalSecurityError2", "internal security error"},
    {0xA07, "SSL_ERR_NO_SUCH_USER", "the user has no account"},
    {0xB06, "disconnectReasonEncryptionError", "encryption error"},
    {0xB07, "SSL_ERR_ACCOUNT_DISABLED", "account disabled"},
    {0xC06, "disconnectReasonDecryptionError", "decryption error"},
    {0xC07, "SSL_ERR_ACCOUNT_RESTRICTION", "account restricted"},
    {0xC08, "disconnectReasonClientDecompressionError", "decompression error"},
    {0xD07, "SSL_ERR_ACCOUNT_LOCKED_OUT", "account locked out"},
    {0xE07, "SSL_ERR_ACCOUNT_EXPIRED", "account expired"},
    {0xF07, "SSL_ERR_PASSWORD_EXPIRED", "password expired"},
    {0x1207, "SSL_ERR_PASSWORD_MUST_CHANGE", "the password must be changed"},
    {0x1607, "SSL_ERR_DELEGATION_POLICY", "policy does not allow credential delegation to the target"},
    {0x1707, "SSL_ERR_POLICY_NTLM_ONLY", "delegation not allowed without mutual authentication"},
    {0x1807, "SSL_ERR_NO_AUTHENTICATING_AUTHORITY", "no authority could be contacted for authentication"},
    {0x1B07, "SSL_ERR_CERT_EXPIRED", "the received certificate has expired"},
    {0x1C07, "SSL_ERR_SMARTCARD_WRONG_PIN", "wrong smart card PIN"},
    {0x2107, "SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER", "the server requires freshly entered credentials"},
    {0x2207, "SSL_ERR_SMARTCARD_CARD_BLOCKED", "smart card blocked"},
};

// Not in Microsoft's list; named by the EvtxECmd map author. Marked as such in the output.
constexpr Code kCommunityReasons[] = {
    {0x907, "unexpected server authentication certificate", "certificate or name mismatch"},
    {0x708, "console session already in progress", ""},
    {0xB09, "network level authentication required", ""},
};

// learn.microsoft.com/windows/win32/termserv/extendeddisconnectreasoncode (= MS-RDPBCGR ERRINFO)
constexpr Code kExtendedReasons[] = {
    {0, "exDiscReasonNoInfo", "no information"},
    {1, "exDiscReasonAPIInitiatedDisconnect", "disconnected by an administrative tool on the server"},
    {2, "exDiscReasonAPIInitiatedLogoff", "logged off by an administrative tool on the server"},
    {3, "exDiscReasonServerIdleTimeout", "idle session time limit reached"},
    {4, "exDiscReasonServerLogonTimeout", "active session time limit reached"},
    {5, "exDiscReasonReplacedByOtherConnection", "another connection took over the session"},
    {6, "exDiscReasonOutOfMemory", "the server is out of memory"},
    {7, "exDiscReasonServerDeniedConnection", "the server denied the connection"},
    {8, "exDiscReasonServerDeniedConnectionFips", "the server denied the connection for security reasons"},
    {9, "exDiscReasonServerInsufficientPrivileges", "the user may not log on remotely"},
    {10, "exDiscReasonServerFreshCredsRequired", "saved credentials were not accepted"},
    {11, "exDiscReasonRpcInitiatedDisconnectByUser", "the user disconnected"},
    {12, "exDiscReasonLogoffByUser", "the user logged off"},
};

std::string format(std::uint32_t code, const Code& c, bool hex, const char* note) {
  char head[48];
  if (hex)
    std::snprintf(head, sizeof head, "0x%X (%u) ", code, code);
  else
    std::snprintf(head, sizeof head, "%u ", code);
  std::string out = std::string(head) + c.name;
  if (*c.meaning) out += std::string(": ") + c.meaning;
  return out + note;
}

}  // namespace

std::string describe_disconnect_reason(std::uint32_t code) {
  for (const auto& c : kDisconnectReasons)
    if (c.value == code) return format(code, c, true, "");
  for (const auto& c : kCommunityReasons)
    if (c.value == code) return format(code, c, true, " (not documented by Microsoft)");
  char buf[64];
  std::snprintf(buf, sizeof buf, "0x%X (%u) unknown disconnect reason", code, code);
  return buf;
}

std::string describe_extended_disconnect_reason(std::uint32_t code) {
  for (const auto& c : kExtendedReasons)
    if (c.value == code) return format(code, c, false, "");
  if (code >= 256 && code <= 267) return std::to_string(code) + " licensing error";
  if (code >= 4096 && code <= 32767)
    return std::to_string(code) + " protocol error: check the server's event log";
  return std::to_string(code) + " unknown extended reason";
}

std::string describe_termservice_cert_event(std::uint32_t event_id) {
  switch (event_id) {
    case 1051:
      return "1051: no usable user-selected certificate; the self-signed one is used";
    case 1053:
      return "1053: the configured certificate has expired; the self-signed one is used";
    case 1054:
      return "1054: the configured certificate lacks the Server Authentication usage; the self-signed one is "
             "used";
    case 1055:
      return "1055: the private key of the configured certificate cannot be accessed; the self-signed one is "
             "used";
    default:
      return std::to_string(event_id);
  }
}

}  // namespace rdpmend::events
