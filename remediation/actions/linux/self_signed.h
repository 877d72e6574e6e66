#pragma once
// A new self-signed server certificate and its key (OpenSSL), as PEM text: what regenerate-rdp-cert writes
// for xrdp. SAN = the host name, EKU serverAuth, a random positive serial, valid from five minutes ago.

#include <string>

#include "common/result.h"

namespace rdpmend::actions {

struct SelfSignedRequest {
  std::string hostname;
  std::string key_type = "rsa2048";  // rsa2048, rsa3072, rsa4096, ec-p256, ec-p384
  int validity_days = 365;
};

struct NewPair {
  std::string cert_pem;
  std::string key_pem;
};

Result<NewPair> make_self_signed(const SelfSignedRequest& request);

}  // namespace rdpmend::actions
