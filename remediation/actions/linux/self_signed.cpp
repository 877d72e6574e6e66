#include "actions/linux/self_signed.h"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "probe/openssl_util.h"

namespace rdpmend::actions {
namespace {

Result<probe::PkeyPtr> make_key(const std::string& type) {
  probe::PkeyPtr key;
  if (type == "rsa2048")
    key.reset(EVP_RSA_gen(2048));
  else if (type == "rsa3072")
    key.reset(EVP_RSA_gen(3072));
  else if (type == "rsa4096")
    key.reset(EVP_RSA_gen(4096));
  else if (type == "ec-p256")
    key.reset(EVP_EC_gen("P-256"));
  else if (type == "ec-p384")
    key.reset(EVP_EC_gen("P-384"));
  else
    return Error{"generate key", type, "unknown key type (rsa2048, rsa3072, rsa4096, ec-p256, ec-p384)"};
  if (!key) return Error{"generate key", type, probe::openssl_error_text()};
  return key;
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value)) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

}  // namespace

Result<NewPair> make_self_signed(const SelfSignedRequest& c) {
  auto key = make_key(c.key_type);
  if (!key) return key.error();
  probe::X509Ptr cert(X509_new());
  if (!cert) return Error{"make certificate", c.hostname, probe::openssl_error_text()};
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7F;  // a positive serial
  probe::BignumPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(c.validity_days) * 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(c.hostname.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.value().get());
  add_extension(cert.get(), NID_subject_alt_name, ("DNS:" + c.hostname).c_str());
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  if (X509_sign(cert.get(), key.value().get(), EVP_sha256()) <= 0)
    return Error{"sign certificate", c.hostname, probe::openssl_error_text()};
  probe::BioPtr cb(BIO_new(BIO_s_mem())), kb(BIO_new(BIO_s_mem()));
  if (!cb || !kb || PEM_write_bio_X509(cb.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(kb.get(), key.value().get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Error{"encode certificate", c.hostname, probe::openssl_error_text()};
  return NewPair{probe::bio_text(cb.get()), probe::bio_text(kb.get())};
}

}  // namespace rdpmend::actions
