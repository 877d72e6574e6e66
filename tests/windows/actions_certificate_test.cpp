// remediation/actions/windows: regenerate-rdp-cert on a throwaway LocalMachine system store.
//
// Runs for real under Wine (crypt32, rsaenh and the registry are implemented there): each test creates its
// own store and machine key containers, makes the certificates (self-signed, CA-issued, template-enrolled,
// CA), inspects them with the real certificate inspector, and drives check / backup / apply / verify /
// rollback: the certificate leaves the store and comes back with its key link, a stale key container is
// removed only when it does not match, and foreign certificates and damaged backups are refused.

#include <windows.h>

#include <wincrypt.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "actions/windows/windows_actions.h"
#include "actions_test_support.h"
#include "certificate_test_support.h"
#include "inspect/windows/certificate_state.h"
#include "inspect_test_support.h"
#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"

namespace rdpmend::actions {
namespace {

using namespace std::chrono_literals;
using inspect::HostState;
using test_support::TestCertificateStore;
using test_support::TestRegistryKey;
using ::testing::HasSubstr;
using ::testing::StartsWith;

bool container_exists(const std::wstring& container) {
  HCRYPTPROV prov = 0;
  if (!CryptAcquireContextW(&prov, container.c_str(), MS_ENHANCED_PROV_W, PROV_RSA_FULL,
                            CRYPT_MACHINE_KEYSET | CRYPT_SILENT))
    return false;
  CryptReleaseContext(prov, 0);
  return true;
}

class CertificateActionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(certificates_.handle(), nullptr);
    config_ = test_support::isolated_config();
    config_.self_signed_store = certificates_.name();
    config_.self_signed_key_container = L"RdpMendTest-TSSecKeySet1-" + test_support::unique_suffix();
    config_.is_administrator = [] { return Result<bool>(true); };
    where_.terminal_server = registry_.at(L"Control\\Terminal Server");
    config_.terminal_server = where_.terminal_server;
    where_.configured_stores = {certificates_.name()};
    where_.self_signed_store = certificates_.name();
  }

  // A self-signed certificate made with `key_container`'s key, in the store, linked to `points_to` (the
  // same container unless given), with optional extensions.
  const CERT_CONTEXT* add_self_signed(const std::wstring& key_container, const wchar_t* subject_text,
                                      const std::wstring& points_to = {},
                                      CERT_EXTENSIONS* extensions = nullptr) {
    auto made = test_support::make_self_signed(key_container, subject_text, -24h, 24h * 180, extensions);
    if (!made) return nullptr;
    return certificates_.add(made.get(), points_to.empty() ? key_container : points_to);
  }

  // A certificate for `subject_key`'s key signed by `issuer_key`'s (issuer name CN=RdpMend Test CA).
  const CERT_CONTEXT* add_ca_issued(const std::wstring& issuer_key, const std::wstring& subject_key) {
    HCRYPTPROV issuer = 0, subject = 0;
    EXPECT_TRUE(CryptAcquireContextW(&issuer, issuer_key.c_str(), MS_ENHANCED_PROV_W, PROV_RSA_FULL,
                                     CRYPT_MACHINE_KEYSET | CRYPT_SILENT));
    EXPECT_TRUE(CryptAcquireContextW(&subject, subject_key.c_str(), MS_ENHANCED_PROV_W, PROV_RSA_FULL,
                                     CRYPT_MACHINE_KEYSET | CRYPT_SILENT));
    DWORD key_size = 0;
    CryptExportPublicKeyInfo(subject, AT_KEYEXCHANGE, X509_ASN_ENCODING, nullptr, &key_size);
    std::vector<std::uint64_t> key_buffer((key_size + 7) / 8);
    auto* public_key = reinterpret_cast<CERT_PUBLIC_KEY_INFO*>(key_buffer.data());
    EXPECT_TRUE(CryptExportPublicKeyInfo(subject, AT_KEYEXCHANGE, X509_ASN_ENCODING, public_key, &key_size));
    BYTE issuer_name[256], subject_name[256];
    DWORD issuer_size = sizeof issuer_name, subject_size = sizeof subject_name;
    CertStrToNameW(X509_ASN_ENCODING, L"CN=RdpMend Test CA", CERT_X500_NAME_STR, nullptr, issuer_name,
                   &issuer_size, nullptr);
    CertStrToNameW(X509_ASN_ENCODING, L"CN=rdpmend-test.example", CERT_X500_NAME_STR, nullptr, subject_name,
                   &subject_size, nullptr);
    BYTE serial[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    CERT_INFO info{};
    info.dwVersion = CERT_V3;
    info.SerialNumber = {sizeof serial, serial};
    // SHA-1: the Enhanced provider (PROV_RSA_FULL) has no SHA-256.
    CRYPT_ALGORITHM_IDENTIFIER algorithm{const_cast<char*>(szOID_RSA_SHA1RSA), {0, nullptr}};
    info.SignatureAlgorithm = algorithm;
    info.Issuer = {issuer_size, issuer_name};
    info.Subject = {subject_size, subject_name};
    const auto now = std::chrono::system_clock::now();
    SYSTEMTIME from = test_support::system_time(now - 24h), to = test_support::system_time(now + 24h * 180);
    SystemTimeToFileTime(&from, &info.NotBefore);
    SystemTimeToFileTime(&to, &info.NotAfter);
    info.SubjectPublicKeyInfo = *public_key;
    DWORD size = 0;
    CryptSignAndEncodeCertificate(issuer, AT_KEYEXCHANGE, X509_ASN_ENCODING, X509_CERT_TO_BE_SIGNED, &info,
                                  &algorithm, nullptr, nullptr, &size);
    std::vector<BYTE> der(size);
    EXPECT_TRUE(CryptSignAndEncodeCertificate(issuer, AT_KEYEXCHANGE, X509_ASN_ENCODING,
                                              X509_CERT_TO_BE_SIGNED, &info, &algorithm, nullptr, der.data(),
                                              &size))
        << std::hex << GetLastError();
    der.resize(size);
    CryptReleaseContext(issuer, 0);
    CryptReleaseContext(subject, 0);
    win::UniqueCert made(CertCreateCertificateContext(X509_ASN_ENCODING, der.data(), size));
    if (!made) {
      ADD_FAILURE() << "CertCreateCertificateContext: " << std::hex << GetLastError();
      return nullptr;
    }
    return certificates_.add(made.get(), subject_key);
  }

  HostState inspect() {
    HostState s;
    s.platform = "windows";
    s.certificate = inspect::windows::make_certificate_inspector(where_)->inspect(
        inspect::ListenerSettings{}, std::chrono::system_clock::now(), 30);
    return s;
  }

  std::unique_ptr<Action> action() { return make_certificate_action(config_); }

  TestRegistryKey registry_;
  inspect::windows::CertificateLocations where_;
  WindowsActionConfig config_;
  TestCertificateStore certificates_;
};

TEST_F(CertificateActionTest, RemovesTheSelfSignedCertificateAndPutsItBack) {
  const std::wstring key = certificates_.make_key();
  ASSERT_NE(add_self_signed(key, L"CN=rdpmend-test.example"), nullptr);
  HostState before = inspect();
  ASSERT_TRUE(before.certificate.present);
  ASSERT_EQ(before.certificate.source, "self-signed");
  ASSERT_EQ(before.certificate.key_matches, true);
  const std::string sha1 = before.certificate.info->sha1;

  auto a = action();
  EXPECT_EQ(a->target(before), "LocalMachine\\" + win::narrow(certificates_.name()));
  ASSERT_TRUE(a->check(before).ok()) << a->check(before).error().message();
  auto backup = a->backup(before);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  const auto& saved = backup.value().data["certificate"];
  EXPECT_EQ(saved["sha1"], sha1);
  EXPECT_EQ(saved["key"]["container"], win::narrow(key));
  EXPECT_EQ(saved["key"]["flags"], CRYPT_MACHINE_KEYSET);
  EXPECT_EQ(saved["remove_stale_key"], false);
  EXPECT_EQ(backup.value().data["store"], win::narrow(certificates_.name()));
  EXPECT_GT(saved["der_hex"].get<std::string>().size(), 200u);

  auto applied = a->apply(before, backup.value());
  ASSERT_TRUE(applied.ok()) << applied.error().message();
  HostState after = inspect();
  EXPECT_FALSE(after.certificate.present) << after.certificate.location;
  EXPECT_TRUE(container_exists(key)) << "a key that matches its certificate is never removed";
  // Honest about the restart: the old one is gone, the new one comes when TermService restarts.
  EXPECT_TRUE(a->verify(after).ok());
  EXPECT_FALSE(a->verify(before).ok()) << "the removed certificate must not pass as the new one";
  EXPECT_THAT(a->verify(before).error().detail, HasSubstr("still the listener's"));
  // Applying again changes nothing and succeeds (already gone).
  EXPECT_TRUE(a->apply(before, backup.value()).ok());

  auto rolled_back = a->rollback(backup.value());
  ASSERT_TRUE(rolled_back.ok()) << rolled_back.error().message();
  HostState restored = inspect();
  ASSERT_TRUE(restored.certificate.present);
  EXPECT_EQ(restored.certificate.info->sha1, sha1);
  EXPECT_EQ(restored.certificate.key_matches, true) << "the key link came back with it";
  EXPECT_TRUE(a->rollback(backup.value()).ok()) << "rolling back twice restores the same state";
}

// SSLCertificateSHA1Hash pinned to Windows' own self-signed certificate (a script, wmic): still the
// self-signed default; the removal clears the hash that would name a certificate that is gone, the
// verification sees it cleared, and the rollback writes it back with the certificate.
TEST_F(CertificateActionTest, ClearsAHashPinnedToTheRemovedCertificateAndPutsItBack) {
  const CERT_CONTEXT* cert = add_self_signed(certificates_.make_key(), L"CN=rdpmend-test.example");
  ASSERT_NE(cert, nullptr);
  BYTE hash[20];
  DWORD size = sizeof hash;
  ASSERT_TRUE(CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, hash, &size));
  const std::vector<std::uint8_t> pinned(hash, hash + size);
  const auto rdp_tcp = registry_.at(L"Control\\Terminal Server\\WinStations\\RDP-Tcp");
  TestRegistryKey::set_binary(rdp_tcp, L"SSLCertificateSHA1Hash", pinned);
  HostState before = inspect();
  ASSERT_TRUE(before.certificate.present) << before.certificate.location << " " << before.certificate.error;
  EXPECT_EQ(before.certificate.source, "self-signed");
  EXPECT_TRUE(before.certificate.pinned_by_hash);

  auto a = action();
  ASSERT_TRUE(a->check(before).ok()) << a->check(before).error().message();
  auto backup = a->backup(before);
  ASSERT_TRUE(backup.ok()) << backup.error().message();
  EXPECT_EQ(backup.value().data["pinned_hash"], before.certificate.info->sha1);
  auto applied = a->apply(before, backup.value());
  ASSERT_TRUE(applied.ok()) << applied.error().message();
  EXPECT_FALSE(
      inspect::windows::read_registry_binary(rdp_tcp, L"SSLCertificateSHA1Hash").value().has_value());
  HostState after = inspect();
  EXPECT_FALSE(after.certificate.present);
  EXPECT_EQ(after.certificate.source, "self-signed")
      << "with the hash gone, the listener's is the default again";
  EXPECT_TRUE(a->verify(after).ok()) << a->verify(after).error().message();

  // A hash written back by someone else before the verification: the repair is not done.
  TestRegistryKey::set_binary(rdp_tcp, L"SSLCertificateSHA1Hash", pinned);
  EXPECT_FALSE(a->verify(after).ok());

  ASSERT_TRUE(a->rollback(backup.value()).ok());
  auto restored = inspect::windows::read_registry_binary(rdp_tcp, L"SSLCertificateSHA1Hash").value();
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(*restored, pinned);
  HostState back = inspect();
  EXPECT_TRUE(back.certificate.present);
  EXPECT_TRUE(back.certificate.pinned_by_hash);
}

// A hash naming a CA-issued certificate is an administrator's choice: configured, never replaced.
TEST_F(CertificateActionTest, AHashNamingACaIssuedCertificateStaysConfigured) {
  const std::wstring ca_key = certificates_.make_key();
  const std::wstring leaf_key = certificates_.make_key();
  const CERT_CONTEXT* cert = add_ca_issued(ca_key, leaf_key);
  ASSERT_NE(cert, nullptr);
  BYTE hash[20];
  DWORD size = sizeof hash;
  ASSERT_TRUE(CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, hash, &size));
  TestRegistryKey::set_binary(registry_.at(L"Control\\Terminal Server\\WinStations\\RDP-Tcp"),
                              L"SSLCertificateSHA1Hash", std::vector<std::uint8_t>(hash, hash + size));
  HostState state = inspect();
  EXPECT_EQ(state.certificate.source, "configured");
  EXPECT_FALSE(state.certificate.pinned_by_hash);
  EXPECT_FALSE(action()->check(state).ok());
}

TEST_F(CertificateActionTest, AcceptsANewValidCertificateAfterTheRestart) {
  const std::wstring key = certificates_.make_key();
  add_self_signed(key, L"CN=old.example");
  HostState before = inspect();
  auto a = action();
  auto backup = a->backup(before);
  ASSERT_TRUE(backup.ok());
  ASSERT_TRUE(a->apply(before, backup.value()).ok());
  add_self_signed(certificates_.make_key(), L"CN=new.example");  // what TermService does when it starts
  HostState after = inspect();
  ASSERT_TRUE(after.certificate.present);
  EXPECT_TRUE(a->verify(after).ok()) << a->verify(after).error().message();
  after.certificate.key_matches = false;
  EXPECT_THAT(a->verify(after).error().detail, HasSubstr("does not match its key"));
}

TEST_F(CertificateActionTest, RemovesAStaleKeyThatDoesNotMatch) {
  const std::wstring real_key = certificates_.make_key();
  const std::wstring stale = certificates_.make_key(config_.self_signed_key_container);
  add_self_signed(real_key, L"CN=rdpmend-test.example", stale);  // linked to a container with another key
  HostState before = inspect();
  ASSERT_EQ(before.certificate.key_matches, false);
  auto a = action();
  ASSERT_TRUE(a->check(before).ok());
  auto backup = a->backup(before);
  ASSERT_TRUE(backup.ok());
  EXPECT_EQ(backup.value().data["certificate"]["remove_stale_key"], true);
  ASSERT_TRUE(a->apply(before, backup.value()).ok());
  EXPECT_FALSE(container_exists(stale));
  EXPECT_TRUE(container_exists(real_key));
}

TEST_F(CertificateActionTest, KeepsAMismatchedKeyOfAnotherContainer) {
  // Not the self-signed listener's container (TSSecKeySet1 here stands for config.self_signed_key_container):
  // whatever uses it, it is not RdpMend's to remove.
  const std::wstring real_key = certificates_.make_key();
  const std::wstring other = certificates_.make_key();
  add_self_signed(real_key, L"CN=rdpmend-test.example", other);
  HostState before = inspect();
  ASSERT_EQ(before.certificate.key_matches, false);
  auto a = action();
  auto backup = a->backup(before);
  ASSERT_TRUE(backup.ok());
  EXPECT_EQ(backup.value().data["certificate"]["remove_stale_key"], false);
  ASSERT_TRUE(a->apply(before, backup.value()).ok());
  EXPECT_TRUE(container_exists(other));
}

TEST_F(CertificateActionTest, RefusesACaIssuedCertificate) {
  const std::wstring ca = certificates_.make_key();
  const std::wstring leaf = certificates_.make_key();
  ASSERT_NE(add_ca_issued(ca, leaf), nullptr);
  HostState state = inspect();
  ASSERT_TRUE(state.certificate.present);
  ASSERT_TRUE(state.certificate.info.has_value());
  EXPECT_FALSE(state.certificate.info->self_signed);
  auto refused = action()->check(state);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().what, ids::action::kRegenerateRdpCert);
  EXPECT_THAT(refused.error().detail, StartsWith("refused: issued by CN=RdpMend Test CA, not self-signed"));
  // A state that claims otherwise is not believed: the certificate in the store is judged by its signature.
  state.certificate.info->self_signed = true;
  auto judged = action()->check(state);
  ASSERT_FALSE(judged.ok());
  EXPECT_THAT(judged.error().detail, StartsWith("refused: not self-signed"));
}

TEST_F(CertificateActionTest, RefusesATemplateEnrolledCertificate) {
  BYTE value[] = {0x30, 0x03, 0x02, 0x01, 0x64};  // any DER: the extension's presence is what counts
  CERT_EXTENSION extension{const_cast<char*>("1.3.6.1.4.1.311.21.7"), FALSE, {sizeof value, value}};
  CERT_EXTENSIONS extensions{1, &extension};
  ASSERT_NE(add_self_signed(certificates_.make_key(), L"CN=rdpmend-test.example", {}, &extensions), nullptr);
  auto refused = action()->check(inspect());
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().detail, StartsWith("refused: enrolled from a certificate template"));
}

TEST_F(CertificateActionTest, RefusesAConfiguredCertificate) {
  add_self_signed(certificates_.make_key(), L"CN=rdpmend-test.example");
  HostState state = inspect();
  state.certificate.source = "configured";
  auto refused = action()->check(state);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().detail, HasSubstr("RdpMend only replaces the self-signed default"));
  state.certificate.source = "template";
  EXPECT_FALSE(action()->check(state).ok());
}

TEST_F(CertificateActionTest, HasNothingToRemoveWithoutACertificate) {
  HostState state = inspect();
  ASSERT_FALSE(state.certificate.present);
  auto a = action();
  ASSERT_TRUE(a->check(state).ok()) << a->check(state).error().message();
  auto backup = a->backup(state);
  ASSERT_TRUE(backup.ok());
  EXPECT_TRUE(backup.value().data["certificate"].is_null());
  EXPECT_TRUE(a->apply(state, backup.value()).ok());
  EXPECT_TRUE(a->verify(state).ok());
  EXPECT_TRUE(a->rollback(backup.value()).ok());
}

TEST_F(CertificateActionTest, RefusesAForeignOrDamagedBackup) {
  add_self_signed(certificates_.make_key(), L"CN=rdpmend-test.example");
  HostState state = inspect();
  auto a = action();
  auto backup = a->backup(state);
  ASSERT_TRUE(backup.ok());

  Backup other_store = backup.value();
  other_store.data["store"] = "My";
  EXPECT_THAT(a->rollback(other_store).error().detail, StartsWith("refused: the backup names another store"));

  Backup other_der = backup.value();
  std::string der = other_der.data["certificate"]["der_hex"];
  der[der.size() - 2] = der[der.size() - 2] == '0' ? '1' : '0';  // one bit of the signature
  other_der.data["certificate"]["der_hex"] = der;
  EXPECT_THAT(a->rollback(other_der).error().detail, HasSubstr("is not the certificate"));

  Backup not_hex = backup.value();
  not_hex.data["certificate"]["der_hex"] = "zz";
  EXPECT_THAT(a->rollback(not_hex).error().detail, HasSubstr("the backup is damaged"));

  Backup missing = backup.value();
  missing.data["certificate"].erase("sha1");
  EXPECT_THAT(a->rollback(missing).error().detail, HasSubstr("the backup is damaged"));

  Backup another_certificate = backup.value();
  another_certificate.data["certificate"]["sha1"] = std::string(40, 'A');
  EXPECT_THAT(a->apply(state, another_certificate).error().detail,
              HasSubstr("the backup is of another certificate"));
}

}  // namespace
}  // namespace rdpmend::actions
