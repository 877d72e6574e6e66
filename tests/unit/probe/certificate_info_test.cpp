#include "probe/certificate_info.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "probe/openssl_util.h"
#include "test_folder.h"

namespace rdpmend::probe {
namespace {

using namespace std::chrono;

struct TestCert {
  PkeyPtr key;
  X509Ptr cert;
  std::vector<std::uint8_t> der;
};

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  ASSERT_NE(ext, nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate valid from now+from_days to now+to_days, self-signed unless an issuer is given.
TestCert make_cert(const char* cn, long from_days, long to_days, const char* eku = nullptr,
                   const TestCert* issuer = nullptr, bool ca = false) {
  TestCert t;
  t.key.reset(EVP_RSA_gen(2048));
  t.cert.reset(X509_new());
  X509_set_version(t.cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(t.cert.get()), 4242);
  X509_gmtime_adj(X509_getm_notBefore(t.cert.get()), from_days * 86400);
  X509_gmtime_adj(X509_getm_notAfter(t.cert.get()), to_days * 86400);
  X509_NAME* name = X509_get_subject_name(t.cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(t.cert.get(), issuer ? X509_get_subject_name(issuer->cert.get()) : name);
  X509_set_pubkey(t.cert.get(), t.key.get());
  X509* signer = issuer ? issuer->cert.get() : t.cert.get();
  add_ext(t.cert.get(), signer, NID_subject_alt_name, "DNS:rdp.example,IP:127.0.0.1");
  if (eku) add_ext(t.cert.get(), signer, NID_ext_key_usage, eku);
  if (ca) add_ext(t.cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
  X509_sign(t.cert.get(), issuer ? issuer->key.get() : t.key.get(), EVP_sha256());
  int len = i2d_X509(t.cert.get(), nullptr);
  t.der.resize(static_cast<std::size_t>(len));
  unsigned char* p = t.der.data();
  i2d_X509(t.cert.get(), &p);
  return t;
}

TEST(CertificateInfo, DescribesAHealthySelfSignedRdpCertificate) {
  auto c = make_cert("host.example", -1, 180, "serverAuth,1.3.6.1.4.1.311.54.1.2");
  auto info = describe_certificate(c.der, system_clock::now(), 14);
  ASSERT_TRUE(info) << info.error().message();
  const auto& i = info.value();
  EXPECT_EQ(i.subject, "CN=host.example");
  EXPECT_TRUE(i.self_signed);
  EXPECT_FALSE(i.expired);
  EXPECT_FALSE(i.expiring);
  EXPECT_EQ(i.days_left, 179);
  EXPECT_EQ(i.key_type, "RSA");
  EXPECT_EQ(i.key_bits, 2048);
  EXPECT_EQ(i.serial_hex, "1092");
  EXPECT_EQ(i.subject_alt_names, (std::vector<std::string>{"DNS:rdp.example", "IP:127.0.0.1"}));
  ASSERT_EQ(i.extended_key_usages.size(), 2u);
  EXPECT_EQ(i.extended_key_usages[0].name, "Server Authentication");
  EXPECT_EQ(i.extended_key_usages[1].name, "Remote Desktop Authentication");
  EXPECT_TRUE(i.allows_server_auth());
  EXPECT_EQ(i.sha1.size(), 40u);
  EXPECT_EQ(i.sha256.size(), 64u);
}

TEST(CertificateInfo, ThumbprintMatchesOpenSslDigest) {
  auto c = make_cert("t", -1, 10);
  unsigned char md[20];
  unsigned int n = 0;
  X509_digest(c.cert.get(), EVP_sha1(), md, &n);
  char hex[41];
  for (unsigned i = 0; i < 20; ++i) std::snprintf(hex + 2 * i, 3, "%02X", md[i]);
  EXPECT_EQ(describe_certificate(c.der, system_clock::now(), 14).value().sha1, std::string(hex));
}

TEST(CertificateInfo, FlagsExpiredWithNegativeDaysLeft) {
  auto c = make_cert("old", -400, -12);
  auto i = describe_certificate(c.der, system_clock::now(), 14).value();
  EXPECT_TRUE(i.expired);
  EXPECT_FALSE(i.expiring);
  EXPECT_EQ(i.days_left, -12);
}

TEST(CertificateInfo, FlagsExpiringWithinTheWindow) {
  auto c = make_cert("soon", -100, 5);
  auto i = describe_certificate(c.der, system_clock::now(), 14).value();
  EXPECT_TRUE(i.expiring);
  EXPECT_FALSE(describe_certificate(c.der, system_clock::now(), 3).value().expiring);
}

TEST(CertificateInfo, FlagsNotYetValid) {
  auto c = make_cert("future", 3, 300);
  EXPECT_TRUE(describe_certificate(c.der, system_clock::now(), 14).value().not_yet_valid);
}

TEST(CertificateInfo, ClientOnlyUsageDoesNotAllowServerAuth) {
  auto c = make_cert("client", -1, 30, "clientAuth");
  EXPECT_FALSE(describe_certificate(c.der, system_clock::now(), 14).value().allows_server_auth());
  auto any = make_cert("any", -1, 30);
  EXPECT_TRUE(describe_certificate(any.der, system_clock::now(), 14).value().allows_server_auth());
}

TEST(CertificateInfo, RejectsGarbage) {
  std::vector<std::uint8_t> junk = {0x30, 0x82, 0x01, 0x00, 0x01};
  auto r = describe_certificate(junk, system_clock::now(), 14);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("decode certificate"), std::string::npos);
}

class VerifyChain : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = make_cert("Test CA", -10, 1000, nullptr, nullptr, true);
    // A folder of this test's own: ctest runs the tests of this suite in parallel processes, and a shared
    // file name let one test's TearDown remove (or its SetUp replace) another's CA.
    folder_ = rdpmend::test::fresh_test_folder();
    ca_file_ = (folder_ / "ca.pem").string();
    FILE* f = std::fopen(ca_file_.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    PEM_write_X509(f, ca_.cert.get());
    std::fclose(f);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  TestCert ca_;
  std::filesystem::path folder_;
  std::string ca_file_;
};

TEST_F(VerifyChain, AcceptsLeafIssuedByTrustedCa) {
  auto leaf = make_cert("leaf", -1, 30, "serverAuth", &ca_);
  auto r = verify_certificate_chain({leaf.der}, ca_file_);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r.value().ok) << r.value().message;
}

TEST_F(VerifyChain, ReportsExpiredAsCode10) {
  auto leaf = make_cert("leaf", -30, -1, "serverAuth", &ca_);
  auto r = verify_certificate_chain({leaf.der}, ca_file_).value();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.code, 10);
}

TEST_F(VerifyChain, ReportsSelfSignedAsCode18) {
  auto self = make_cert("self", -1, 30);
  auto r = verify_certificate_chain({self.der}, ca_file_).value();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.code, 18);
}

TEST_F(VerifyChain, NamesAMissingCaFile) {
  auto leaf = make_cert("leaf", -1, 30);
  auto r = verify_certificate_chain({leaf.der}, "/nonexistent/ca.pem");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("/nonexistent/ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace rdpmend::probe
