#pragma once
// What an administrator needs to know about a TLS server certificate, decoded from DER with OpenSSL:
// names, validity and days left, self-signed or not, key, thumbprints (SHA-1 is what Windows stores as
// SSLCertificateSHA1Hash), extended key usages, and optionally verification against a CA file.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace rdpmend::probe {

inline constexpr const char* kEkuServerAuth = "1.3.6.1.5.5.7.3.1";
inline constexpr const char* kEkuRemoteDesktopAuth = "1.3.6.1.4.1.311.54.1.2";

struct ExtendedKeyUsage {
  std::string oid;
  std::string name;  // "Server Authentication", "Remote Desktop Authentication", ...
};

struct CertificateInfo {
  std::string subject;  // RFC 2253, e.g. "CN=host.example"
  std::string issuer;
  std::vector<std::string> subject_alt_names;  // "DNS:host", "IP:127.0.0.1"
  std::string serial_hex;
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
  std::int64_t days_left = 0;  // negative once expired
  bool expired = false;
  bool not_yet_valid = false;
  bool expiring = false;  // valid, but within the warning window
  bool self_signed = false;
  std::string key_type;  // "RSA", "EC", "ED25519", ...
  int key_bits = 0;
  std::string signature_algorithm;
  std::string sha1;  // upper-case hex, no separators
  std::string sha256;
  std::vector<ExtendedKeyUsage> extended_key_usages;  // empty: the certificate has no EKU extension (any use)
  bool has_eku_extension = false;

  bool allows_server_auth() const;
};

Result<CertificateInfo> describe_certificate(std::span<const std::uint8_t> der,
                                             std::chrono::system_clock::time_point now,
                                             int expiring_within_days);

struct VerifyResult {
  bool ok = false;
  int code = 0;  // X509_V_ERR_*: 10 expired, 9 not yet valid, 18 self-signed, 20 unknown issuer
  std::string message;
};

// Verifies the leaf (and the chain the server sent) against the CA certificates in a PEM file.
Result<VerifyResult> verify_certificate_chain(const std::vector<std::vector<std::uint8_t>>& chain_der,
                                              const std::string& ca_file);

}  // namespace rdpmend::probe
