#include "probe/certificate_info.h"

#include <ctime>
#include <memory>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "probe/openssl_util.h"

namespace rdpmend::probe {
namespace {

std::string name_text(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return {};
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bio_text(bio.get());
}

std::optional<std::chrono::system_clock::time_point> asn1_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  using namespace std::chrono;
  year_month_day date{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                      day{static_cast<unsigned>(tm.tm_mday)}};
  if (!date.ok()) return std::nullopt;
  return sys_days{date} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

std::string digest_hex(X509* cert, const EVP_MD* md) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, md, buf, &len) != 1) return {};
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[buf[i] >> 4]);
    out.push_back(kHex[buf[i] & 0xF]);
  }
  return out;
}

std::string eku_name(const std::string& oid, const ASN1_OBJECT* obj) {
  if (oid == kEkuRemoteDesktopAuth) return "Remote Desktop Authentication";
  if (oid == kEkuServerAuth) return "Server Authentication";
  int nid = OBJ_obj2nid(obj);
  if (nid != NID_undef) return OBJ_nid2ln(nid);
  return oid;
}

}  // namespace

bool CertificateInfo::allows_server_auth() const {
  if (!has_eku_extension) return true;
  for (const auto& e : extended_key_usages)
    if (e.oid == kEkuServerAuth || e.oid == kEkuRemoteDesktopAuth || e.oid == "2.5.29.37.0") return true;
  return false;
}

Result<CertificateInfo> describe_certificate(std::span<const std::uint8_t> der,
                                             std::chrono::system_clock::time_point now,
                                             int expiring_within_days) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return Error{"decode certificate", "", openssl_error_text()};

  CertificateInfo info;
  info.subject = name_text(X509_get_subject_name(cert.get()));
  info.issuer = name_text(X509_get_issuer_name(cert.get()));
  if (const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get())) {
    BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (bn) {
      char* hex = BN_bn2hex(bn.get());
      if (hex) {
        info.serial_hex = hex;
        OPENSSL_free(hex);
      }
    }
  }
  auto nb = asn1_time(X509_get0_notBefore(cert.get()));
  auto na = asn1_time(X509_get0_notAfter(cert.get()));
  if (!nb || !na) return Error{"decode certificate", info.subject, "validity dates are not readable"};
  info.not_before = *nb;
  info.not_after = *na;
  auto left = std::chrono::floor<std::chrono::seconds>(info.not_after - now).count();
  info.days_left = left / 86400;  // whole days, toward zero: "expired 12 days ago", "29 days left"
  info.expired = now > info.not_after;
  info.not_yet_valid = now < info.not_before;
  info.expiring = !info.expired && !info.not_yet_valid &&
                  info.not_after - now <= std::chrono::hours(24 * expiring_within_days);
  info.self_signed = X509_check_issued(cert.get(), cert.get()) == X509_V_OK;

  if (EVP_PKEY* key = X509_get0_pubkey(cert.get())) {
    int id = EVP_PKEY_get_base_id(key);
    info.key_type = id == EVP_PKEY_RSA       ? "RSA"
                    : id == EVP_PKEY_EC      ? "EC"
                    : id == EVP_PKEY_ED25519 ? "ED25519"
                    : id == EVP_PKEY_DSA     ? "DSA"
                                             : OBJ_nid2sn(id);
    info.key_bits = EVP_PKEY_get_bits(key);
  }
  info.signature_algorithm = OBJ_nid2ln(X509_get_signature_nid(cert.get()));
  info.sha1 = digest_hex(cert.get(), EVP_sha1());
  info.sha256 = digest_hex(cert.get(), EVP_sha256());

  using GeneralNamesPtr =
      std::unique_ptr<GENERAL_NAMES, decltype([](GENERAL_NAMES* n) { GENERAL_NAMES_free(n); })>;
  GeneralNamesPtr sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans.get(), i);
    if (gn->type == GEN_DNS) {
      info.subject_alt_names.push_back(
          "DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gn->d.dNSName)),
                               static_cast<std::size_t>(ASN1_STRING_length(gn->d.dNSName))));
    } else if (gn->type == GEN_IPADD) {
      const unsigned char* a = ASN1_STRING_get0_data(gn->d.iPAddress);
      int n = ASN1_STRING_length(gn->d.iPAddress);
      char buf[64] = {};
      if (n == 4) {
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
      } else if (n == 16) {
        std::string v6;
        for (int k = 0; k < 16; k += 2) {
          char part[8];
          std::snprintf(part, sizeof part, "%s%x", k ? ":" : "", (a[k] << 8) | a[k + 1]);
          v6 += part;
        }
        std::snprintf(buf, sizeof buf, "%s", v6.c_str());
      }
      info.subject_alt_names.push_back(std::string("IP:") + buf);
    }
  }

  using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE,
                                 decltype([](EXTENDED_KEY_USAGE* e) { EXTENDED_KEY_USAGE_free(e); })>;
  int critical = 0;
  EkuPtr eku(
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert.get(), NID_ext_key_usage, &critical, nullptr)));
  if (eku) {
    info.has_eku_extension = true;
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
      const ASN1_OBJECT* obj = sk_ASN1_OBJECT_value(eku.get(), i);
      char oid[128];
      OBJ_obj2txt(oid, sizeof oid, obj, 1);
      info.extended_key_usages.push_back({oid, eku_name(oid, obj)});
    }
  }
  return info;
}

Result<VerifyResult> verify_certificate_chain(const std::vector<std::vector<std::uint8_t>>& chain_der,
                                              const std::string& ca_file) {
  if (chain_der.empty()) return Error{"verify certificate", ca_file, "the server sent no certificate"};
  using StorePtr = std::unique_ptr<X509_STORE, decltype([](X509_STORE* s) { X509_STORE_free(s); })>;
  using StoreCtxPtr =
      std::unique_ptr<X509_STORE_CTX, decltype([](X509_STORE_CTX* c) { X509_STORE_CTX_free(c); })>;
  using StackPtr =
      std::unique_ptr<STACK_OF(X509), decltype([](STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); })>;
  StorePtr store(X509_STORE_new());
  if (!store || X509_STORE_load_file(store.get(), ca_file.c_str()) != 1)
    return Error{"load CA certificates", ca_file, openssl_error_text()};
  std::vector<X509Ptr> certs;
  for (const auto& der : chain_der) {
    const unsigned char* p = der.data();
    X509Ptr c(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!c) return Error{"decode certificate", "", openssl_error_text()};
    certs.push_back(std::move(c));
  }
  StackPtr untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < certs.size(); ++i) {
    X509_up_ref(certs[i].get());
    sk_X509_push(untrusted.get(), certs[i].get());
  }
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), certs[0].get(), untrusted.get()) != 1)
    return Error{"verify certificate", ca_file, openssl_error_text()};
  VerifyResult result;
  result.ok = X509_verify_cert(ctx.get()) == 1;
  result.code = X509_STORE_CTX_get_error(ctx.get());
  result.message = X509_verify_cert_error_string(result.code);
  return result;
}

}  // namespace rdpmend::probe
