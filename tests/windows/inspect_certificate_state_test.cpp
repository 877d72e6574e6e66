// remediation/inspect/windows/certificate_state: the listener certificate and its key.
//
// Runs for real under Wine (crypt32, rsaenh and the registry are implemented there): each test creates its
// own LocalMachine system store and machine key containers, makes self-signed certificates with
// CertCreateSelfSignCertificate, and checks the choice of certificate (thumbprint lookup, newest valid
// self-signed), its description, whether the key container opens and whether its public key matches.
//
// What Wine cannot check: Wine keeps machine keys in the registry (HKLM\Software\Wine\Crypto\RSA), not as
// files under MachineKeys, and it synthesizes file DACLs from Unix modes. So the key *file* and NETWORK
// SERVICE's access to it are checked for real on Windows only (SKIPPED under Wine); under Wine the file part
// is exercised with a stand-in file at the path the inspector names, without judging its DACL.

#include "inspect/windows/certificate_state.h"

#include <windows.h>

#include <wincrypt.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "certificate_test_support.h"
#include "inspect/windows/file_security.h"
#include "inspect_test_support.h"
#include "wine_detect.h"

namespace rdpmend::inspect::windows {
namespace {

using namespace std::chrono_literals;
using test_support::KeyLink;
using test_support::TestCertificateStore;
using test_support::TestFolder;
using test_support::TestRegistryKey;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kWineKeyFiles =
    "Wine keeps machine keys in the registry, not in MachineKeys files, and synthesizes file DACLs";

std::string sha1_of(const CERT_CONTEXT* cert) {
  BYTE hash[20];
  DWORD size = sizeof hash;
  if (!CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, hash, &size)) return {};
  std::string out;
  char two[3];
  for (DWORD i = 0; i < size; ++i) {
    std::snprintf(two, sizeof two, "%02X", hash[i]);
    out += two;
  }
  return out;
}

std::vector<std::uint8_t> sha1_bytes(const CERT_CONTEXT* cert) {
  std::vector<std::uint8_t> hash(20);
  DWORD size = 20;
  CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, hash.data(), &size);
  return hash;
}

// A LocalMachine system store, machine key containers and self-signed certificates of this test only.
class CertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(certificates_.handle(), nullptr);
    where_.terminal_server = registry_.at(L"Control\\Terminal Server");
    where_.configured_stores = {L"RdpMendTest-NoSuchStore-" + test_support::unique_suffix(),
                                certificates_.name()};
    where_.self_signed_store = certificates_.name();
  }

  // A self-signed certificate for `key_container`, valid [now + from, now + to], added to the test store. Its
  // CERT_KEY_PROV_INFO_PROP_ID names `points_to` (the same container unless a test wants a wrong one), with
  // dwProvType 0 for a CNG key.
  const CERT_CONTEXT* add_certificate(const std::wstring& key_container, std::chrono::hours from,
                                      std::chrono::hours to, const std::wstring& points_to = {},
                                      bool cng = false, bool with_key = true) {
    auto made = test_support::make_self_signed(key_container, L"CN=rdpmend-test.example", from, to);
    if (!made) return nullptr;
    const KeyLink link = !with_key ? KeyLink::kNone : cng ? KeyLink::kCng : KeyLink::kCryptoApi;
    return certificates_.add(made.get(), points_to.empty() ? key_container : points_to, link);
  }

  ListenerCertificate inspect() {
    return make_certificate_inspector(where_)->inspect(ListenerSettings{}, std::chrono::system_clock::now(),
                                                       30);
  }

  TestRegistryKey registry_;
  CertificateLocations where_;
  TestCertificateStore certificates_;
};

TEST_F(CertificateTest, PicksTheNewestValidSelfSignedCertificate) {
  auto key = certificates_.make_key();
  add_certificate(key, -24h * 400, -24h * 200);  // expired
  add_certificate(key, -24h * 100, 24h * 80);    // valid, older
  const CERT_CONTEXT* newest = add_certificate(key, -24h * 2, 24h * 180);
  add_certificate(key, 24h * 2, 24h * 300);  // not yet valid
  ASSERT_NE(newest, nullptr);

  auto c = inspect();
  EXPECT_EQ(c.error, "");
  EXPECT_EQ(c.source, "self-signed");
  EXPECT_TRUE(c.present);
  EXPECT_EQ(c.location, "LocalMachine\\" + win::narrow(certificates_.name()) + "\\" + sha1_of(newest));
  ASSERT_TRUE(c.info.has_value());
  EXPECT_EQ(c.info->sha1, sha1_of(newest));
  EXPECT_EQ(c.info->subject, "CN=rdpmend-test.example");
  EXPECT_TRUE(c.info->self_signed);
  EXPECT_FALSE(c.info->expired);
  EXPECT_FALSE(c.info->expiring);
  EXPECT_EQ(c.info->key_type, "RSA");
  EXPECT_EQ(c.info->key_bits, 2048);
  EXPECT_TRUE(c.key.exists) << c.key.error;
  EXPECT_EQ(c.key_matches, true);
}

TEST_F(CertificateTest, ReportsTheLastExpiredOneWhenNoneIsValid) {
  auto key = certificates_.make_key();
  add_certificate(key, -24h * 400, -24h * 200);
  const CERT_CONTEXT* last = add_certificate(key, -24h * 300, -24h * 1);
  auto c = inspect();
  EXPECT_TRUE(c.present);
  EXPECT_EQ(c.location, "LocalMachine\\" + win::narrow(certificates_.name()) + "\\" + sha1_of(last));
  ASSERT_TRUE(c.info.has_value());
  EXPECT_TRUE(c.info->expired);
  EXPECT_LT(c.info->days_left, 0);
}

TEST_F(CertificateTest, FlagsACertificateThatExpiresSoon) {
  add_certificate(certificates_.make_key(), -24h * 100, 24h * 10);
  auto c = inspect();
  ASSERT_TRUE(c.info.has_value());
  EXPECT_TRUE(c.info->expiring);
  EXPECT_FALSE(c.info->expired);
}

TEST_F(CertificateTest, FindsTheConfiguredCertificateByThumbprint) {
  auto key = certificates_.make_key();
  const CERT_CONTEXT* configured = add_certificate(key, -24h * 100, 24h * 80);
  add_certificate(key, -24h * 2, 24h * 180);  // newer, but not the configured one
  TestRegistryKey::set_binary(where_.terminal_server.child(L"WinStations\\RDP-Tcp"),
                              L"SSLCertificateSHA1Hash", sha1_bytes(configured));
  auto c = inspect();
  EXPECT_EQ(c.error, "");
  // Self-signed and in the self-signed store: the hash pins Windows' own certificate, which is still the
  // default (a CA-issued one stays "configured": windows.CertificateActionTest.AHashNamingACaIssued...).
  EXPECT_EQ(c.source, "self-signed");
  EXPECT_TRUE(c.pinned_by_hash);
  EXPECT_TRUE(c.present);
  EXPECT_EQ(c.location, "LocalMachine\\" + win::narrow(certificates_.name()) + "\\" + sha1_of(configured));
  ASSERT_TRUE(c.info.has_value());
  EXPECT_EQ(c.info->sha1, sha1_of(configured));
  EXPECT_EQ(c.key_matches, true);
}

TEST_F(CertificateTest, ReportsAConfiguredThumbprintThatIsInNoStore) {
  add_certificate(certificates_.make_key(), -24h * 2, 24h * 180);
  TestRegistryKey::set_binary(where_.terminal_server.child(L"WinStations\\RDP-Tcp"),
                              L"SSLCertificateSHA1Hash", std::vector<std::uint8_t>(20, 0x42));
  auto c = inspect();
  EXPECT_EQ(c.source, "configured");
  EXPECT_FALSE(c.present);
  EXPECT_FALSE(c.info.has_value());
  EXPECT_EQ(c.error, "");
  EXPECT_THAT(c.location, StartsWith("SSLCertificateSHA1Hash 4242424242"));
  EXPECT_THAT(c.location, HasSubstr("not found in LocalMachine\\RdpMendTest-NoSuchStore-"));
  EXPECT_THAT(c.location, HasSubstr(" and LocalMachine\\" + win::narrow(certificates_.name()) + ")"));
}

TEST_F(CertificateTest, ReportsAnUnreadableConfiguredThumbprintAsAnError) {
  TestRegistryKey::set_string(where_.terminal_server.child(L"WinStations\\RDP-Tcp"),
                              L"SSLCertificateSHA1Hash", L"not binary");
  auto c = inspect();
  EXPECT_FALSE(c.present);
  EXPECT_THAT(c.error, HasSubstr("SSLCertificateSHA1Hash': is REG_SZ, expected REG_BINARY"));
}

TEST_F(CertificateTest, AStoreThatDoesNotExistMeansNoCertificate) {
  where_.self_signed_store = L"RdpMendTest-NoSuchStore-" + test_support::unique_suffix();
  auto c = inspect();
  EXPECT_EQ(c.error, "");
  EXPECT_EQ(c.source, "self-signed");
  EXPECT_FALSE(c.present);
  EXPECT_THAT(c.location, EndsWith("(the store does not exist)"));
}

TEST_F(CertificateTest, AnEmptyStoreMeansNoCertificate) {
  auto c = inspect();
  EXPECT_EQ(c.error, "");
  EXPECT_FALSE(c.present);
  EXPECT_THAT(c.location, EndsWith("(empty)"));
}

TEST_F(CertificateTest, AKeyOfAnotherContainerDoesNotMatch) {
  auto mine = certificates_.make_key();
  auto other = certificates_.make_key();
  add_certificate(mine, -24h, 24h * 100, other);
  auto c = inspect();
  EXPECT_TRUE(c.present);
  EXPECT_TRUE(c.key.exists);
  EXPECT_EQ(c.key_matches, false);
}

TEST_F(CertificateTest, AKeyContainerThatDoesNotExistIsReported) {
  add_certificate(certificates_.make_key(), -24h, 24h * 100, L"RdpMendTest-NoSuchContainer");
  auto c = inspect();
  EXPECT_TRUE(c.present);
  EXPECT_FALSE(c.key.exists);
  EXPECT_FALSE(c.key_matches.has_value());
  EXPECT_THAT(c.key.error, StartsWith("key container 'RdpMendTest-NoSuchContainer' of 'Microsoft Enhanced "
                                      "Cryptographic Provider v1.0' does not exist: "));
  EXPECT_THAT(c.key.error, HasSubstr("[0x80090016]"));  // NTE_BAD_KEYSET
}

TEST_F(CertificateTest, ACertificateWithoutAKeyIsReported) {
  add_certificate(certificates_.make_key(), -24h, 24h * 100, {}, false, /*with_key=*/false);
  auto c = inspect();
  EXPECT_TRUE(c.present);
  EXPECT_FALSE(c.key.exists);
  EXPECT_EQ(c.key.error, "the certificate has no private key (no CERT_KEY_PROV_INFO_PROP_ID)");
}

TEST_F(CertificateTest, ACngKeyThatCannotBeOpenedIsReportedWithItsName) {
  add_certificate(certificates_.make_key(), -24h, 24h * 100, L"RdpMendTest-NoSuchCngKey", /*cng=*/true);
  auto c = inspect();
  EXPECT_TRUE(c.present);
  EXPECT_FALSE(c.key.exists);
  EXPECT_THAT(c.key.error,
              HasSubstr("key container 'RdpMendTest-NoSuchCngKey' of 'Microsoft Software Key Storage "
                        "Provider'"));
}

TEST_F(CertificateTest, NamesTheKeyFileAfterTheUniqueContainerName) {
  TestFolder machine_keys;
  where_.rsa_machine_keys = machine_keys.path().wstring();
  add_certificate(certificates_.make_key(), -24h, 24h * 100);
  auto c = inspect();
  ASSERT_TRUE(c.key.exists) << c.key.error;
  EXPECT_THAT(c.key.path, StartsWith(win::narrow(machine_keys.path().wstring()) + "\\"));
  EXPECT_GT(c.key.path.size(), win::narrow(machine_keys.path().wstring()).size() + 1) << "no file name";
  // The container opened, but this folder has no such file: the key is not reported missing, and why the file
  // part is empty is said.
  EXPECT_THAT(c.key.error, HasSubstr("opened, but its file '" + c.key.path + "' does not exist"));
  EXPECT_FALSE(c.key.readable_by_service.has_value());
}

TEST_F(CertificateTest, DescribesTheKeyFileItFinds) {
  // A stand-in file where the inspector looks: the file part runs (existence, SDDL read, owner, DACL judged)
  // on whatever this system says about that file.
  TestFolder machine_keys;
  where_.rsa_machine_keys = machine_keys.path().wstring();
  add_certificate(certificates_.make_key(), -24h, 24h * 100);
  auto first = inspect();
  ASSERT_FALSE(first.key.path.empty()) << first.key.error;
  std::ofstream(std::filesystem::path(win::widen(first.key.path))) << "stand-in";
  auto c = inspect();
  EXPECT_EQ(c.key.error, "");
  EXPECT_TRUE(c.key.exists);
  EXPECT_FALSE(c.key.is_link);
  EXPECT_THAT(c.key.sddl, StartsWith("O:"));
  EXPECT_TRUE(c.key.readable_by_service.has_value());
  EXPECT_FALSE(c.key.owner.empty());
}

TEST_F(CertificateTest, JudgesNetworkServiceAccessToTheRealKeyFile) {
  RDPMEND_SKIP_UNDER_WINE(kWineKeyFiles);
  add_certificate(certificates_.make_key(), -24h, 24h * 100);
  auto c = inspect();
  auto folder = rsa_machine_keys_folder();
  ASSERT_TRUE(folder.ok());
  EXPECT_THAT(c.key.path, StartsWith(win::narrow(folder.value()) + "\\"));
  EXPECT_EQ(c.key.error, "");
  EXPECT_TRUE(c.key.exists);
  EXPECT_THAT(c.key.sddl, HasSubstr("D:"));
  // A key made by an administrator's process is not granted to NETWORK SERVICE.
  EXPECT_EQ(c.key.readable_by_service, false) << c.key.sddl;
}

}  // namespace
}  // namespace rdpmend::inspect::windows
