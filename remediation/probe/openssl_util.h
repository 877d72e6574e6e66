#pragma once
// Owners for OpenSSL objects and the error queue as text. Every OpenSSL object in RdpMend lives in one
// of these, so no path can leak it.

#include <memory>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace rdpmend::probe {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct BignumFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct SslCtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BignumPtr = std::unique_ptr<BIGNUM, BignumFree>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Drains OpenSSL's error queue: "error:0A0000BE:SSL routines::no private key assigned; ...".
std::string openssl_error_text();

// The bytes written into a memory BIO, as text.
std::string bio_text(BIO* bio);

// The first PEM certificate / private key in `pem` (bytes already read, bounded); null when there is none.
X509Ptr parse_pem_certificate(std::string_view pem);
PkeyPtr parse_pem_private_key(std::string_view pem);

}  // namespace rdpmend::probe
