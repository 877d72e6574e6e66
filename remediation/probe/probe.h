#pragma once
// The RDP probe: where does a connection to an RDP listener die, and why. Resolve, TCP connect,
// X.224 negotiation, TLS handshake (OpenSSL over the same socket), the server certificate, and a
// verdict in plain words. Every step has a deadline. Used by `rdpmend probe` and by the engine to
// verify its own repairs (a self-probe of the local listener). Sends no credentials.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probe/certificate_info.h"
#include "probe/rdp_negotiation.h"

namespace rdpmend::probe {

struct ProbeOptions {
  std::string host;
  std::uint16_t port = 3389;
  std::uint32_t requested_protocols = kProtocolSsl | kProtocolHybrid;
  bool legacy = false;  // send no RDP_NEG_REQ
  std::string cookie;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds read_timeout{3000};
  std::chrono::milliseconds tls_timeout{5000};
  int expiring_within_days = 14;
  std::string ca_file;  // verify the chain against these CAs when set
};

struct ResolveStage {
  bool ok = false;
  std::vector<std::string> addresses;
  std::string error;
  double ms = 0;
};

struct ConnectAttempt {
  std::string address;
  std::string outcome;  // connected, refused, timeout, unreachable, error
  std::string error;
  double ms = 0;
};

struct ConnectStage {
  bool ok = false;
  std::string address;  // the one that connected
  std::vector<ConnectAttempt> attempts;
};

struct NegotiateStage {
  bool attempted = false;
  // response, failure, legacy, closed, reset, timeout, not-tpkt, malformed, error
  std::string outcome;
  std::uint32_t requested = 0;
  bool legacy_request = false;
  std::optional<std::uint32_t> selected;
  std::uint8_t flags = 0;
  std::optional<std::uint32_t> failure_code;
  std::string detail;
  std::string reply_hex;
  double ms = 0;
};

struct TlsStage {
  bool attempted = false;
  bool ok = false;
  std::string outcome;  // ok, alert, eof, reset, timeout, plaintext, error
  std::string version;
  std::string cipher;
  std::optional<int> alert;  // the TLS alert the server sent, if any
  std::string detail;
  std::string first_bytes_hex;
  double ms = 0;
  std::vector<std::vector<std::uint8_t>> chain_der;  // leaf first
};

struct ProbeReport {
  ProbeOptions options;
  ResolveStage resolve;
  ConnectStage connect;
  NegotiateStage negotiate;
  TlsStage tls;
  std::optional<CertificateInfo> certificate;
  std::string certificate_error;
  std::optional<VerifyResult> verification;
  std::string verification_error;
  std::string verdict;  // a stable id: ok, refused, timeout, tls-downgraded, ...
  std::vector<std::string> causes;
  std::vector<std::string> next_steps;
  double total_ms = 0;
};

ProbeReport run_probe(const ProbeOptions& options);

}  // namespace rdpmend::probe
