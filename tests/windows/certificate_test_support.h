#pragma once
// Throwaway certificates for the tests of the certificate inspector and of regenerate-rdp-cert: a
// LocalMachine system store of the test's own, machine key containers (Microsoft Enhanced provider, an
// AT_KEYEXCHANGE RSA key like TSSecKeySet1) and the certificates a test makes with them, all removed at the
// end, so the tests never touch the real `Remote Desktop` store and can run in parallel.

#include <windows.h>

#include <ncrypt.h>
#include <wincrypt.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "inspect_test_support.h"
#include "platform/windows/handles.h"

namespace rdpmend::test_support {

inline SYSTEMTIME system_time(std::chrono::system_clock::time_point t) {
  using Ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
  const auto ticks = static_cast<std::uint64_t>(
      std::chrono::duration_cast<Ticks>(t.time_since_epoch()).count() + 116444736000000000LL);
  FILETIME ft{static_cast<DWORD>(ticks & 0xffffffffULL), static_cast<DWORD>(ticks >> 32)};
  SYSTEMTIME st{};
  FileTimeToSystemTime(&ft, &st);
  return st;
}

// A self-signed certificate for `key_container`'s key, valid [now + from, now + to], in no store yet; null
// (and the test failed) when it cannot be made.
inline win::UniqueCert make_self_signed(const std::wstring& key_container, const wchar_t* subject_text,
                                        std::chrono::hours from, std::chrono::hours to,
                                        CERT_EXTENSIONS* extensions = nullptr) {
  const auto now = std::chrono::system_clock::now();
  HCRYPTPROV prov = 0;
  if (!CryptAcquireContextW(&prov, key_container.c_str(), MS_ENHANCED_PROV_W, PROV_RSA_FULL,
                            CRYPT_MACHINE_KEYSET | CRYPT_SILENT)) {
    ADD_FAILURE() << "open key container: " << std::hex << GetLastError();
    return nullptr;
  }
  BYTE name[256];
  DWORD name_size = sizeof name;
  EXPECT_TRUE(CertStrToNameW(X509_ASN_ENCODING, subject_text, CERT_X500_NAME_STR, nullptr, name, &name_size,
                             nullptr));
  CERT_NAME_BLOB subject{name_size, name};
  SYSTEMTIME start = system_time(now + from), end = system_time(now + to);
  // Signed with the AT_KEYEXCHANGE key (without a CRYPT_KEY_PROV_INFO, AT_SIGNATURE would be used).
  CRYPT_KEY_PROV_INFO own{};
  std::wstring own_container = key_container;
  own.pwszContainerName = own_container.data();
  own.pwszProvName = const_cast<wchar_t*>(MS_ENHANCED_PROV_W);
  own.dwProvType = PROV_RSA_FULL;
  own.dwFlags = CRYPT_MACHINE_KEYSET;
  own.dwKeySpec = AT_KEYEXCHANGE;
  win::UniqueCert made(
      CertCreateSelfSignCertificate(prov, &subject, 0, &own, nullptr, &start, &end, extensions));
  CryptReleaseContext(prov, 0);
  if (!made) ADD_FAILURE() << "CertCreateSelfSignCertificate: " << std::hex << GetLastError();
  return made;
}

// How a certificate added to the test store names its key (CERT_KEY_PROV_INFO_PROP_ID): a CryptoAPI
// container, a CNG key (dwProvType 0), or no key at all.
enum class KeyLink { kCryptoApi, kCng, kNone };

class TestCertificateStore {
 public:
  TestCertificateStore() : name_(L"RdpMendTest-" + unique_suffix()) {
    store_ = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_LOCAL_MACHINE, name_.c_str());
    if (!store_) ADD_FAILURE() << "create store: " << GetLastError();
  }
  TestCertificateStore(const TestCertificateStore&) = delete;
  TestCertificateStore& operator=(const TestCertificateStore&) = delete;
  ~TestCertificateStore() {
    if (store_) {
      const CERT_CONTEXT* c = nullptr;
      while ((c = CertEnumCertificatesInStore(store_, nullptr)) != nullptr)
        if (!CertDeleteCertificateFromStore(c)) break;
      CertControlStore(store_, 0, CERT_STORE_CTRL_COMMIT, nullptr);
      CertCloseStore(store_, 0);
      CertUnregisterSystemStore(name_.c_str(), CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_DELETE_FLAG);
    }
    for (const auto& container : containers_) {
      HCRYPTPROV gone = 0;
      CryptAcquireContextW(&gone, container.c_str(), MS_ENHANCED_PROV_W, PROV_RSA_FULL,
                           CRYPT_DELETEKEYSET | CRYPT_MACHINE_KEYSET | CRYPT_SILENT);
    }
  }

  // Null when the store could not be created (the test has failed then).
  HCERTSTORE handle() const { return store_; }
  const std::wstring& name() const { return name_; }

  // A new machine key container with an AT_KEYEXCHANGE RSA key, like TSSecKeySet1; a fresh name unless
  // given. Removed with the store.
  std::wstring make_key(std::wstring container = {}) {
    if (container.empty()) container = L"RdpMendTest-" + unique_suffix();
    HCRYPTPROV prov = 0;
    EXPECT_TRUE(CryptAcquireContextW(&prov, container.c_str(), MS_ENHANCED_PROV_W, PROV_RSA_FULL,
                                     CRYPT_NEWKEYSET | CRYPT_MACHINE_KEYSET | CRYPT_SILENT))
        << "CryptAcquireContextW(CRYPT_NEWKEYSET): " << std::hex << GetLastError();
    HCRYPTKEY key = 0;
    EXPECT_TRUE(CryptGenKey(prov, AT_KEYEXCHANGE, (2048u << 16), &key)) << std::hex << GetLastError();
    if (key) CryptDestroyKey(key);
    if (prov) CryptReleaseContext(prov, 0);
    containers_.push_back(container);
    return container;
  }

  // A copy of `made` in the store, its key link naming `container` (which need not hold its key, for the
  // tests of a mismatched or missing key). The copy lives as long as the store.
  const CERT_CONTEXT* add(const CERT_CONTEXT* made, std::wstring container,
                          KeyLink link = KeyLink::kCryptoApi) {
    // The actions change the store through handles of their own: without a resync, Wine's commit below would
    // write this handle's stale copy back (a removed certificate would come back).
    EXPECT_TRUE(CertControlStore(store_, 0, CERT_STORE_CTRL_RESYNC, nullptr));
    const CERT_CONTEXT* added = nullptr;
    EXPECT_TRUE(CertAddCertificateContextToStore(store_, made, CERT_STORE_ADD_REPLACE_EXISTING, &added));
    if (!added) return nullptr;
    const bool cng = link == KeyLink::kCng;
    CRYPT_KEY_PROV_INFO kpi{};
    kpi.pwszContainerName = container.data();
    kpi.pwszProvName = const_cast<wchar_t*>(cng ? MS_KEY_STORAGE_PROVIDER : MS_ENHANCED_PROV_W);
    kpi.dwProvType = cng ? 0 : PROV_RSA_FULL;
    kpi.dwFlags = CRYPT_MACHINE_KEYSET;
    kpi.dwKeySpec = AT_KEYEXCHANGE;
    EXPECT_TRUE(CertSetCertificateContextProperty(added, CERT_KEY_PROV_INFO_PROP_ID, 0,
                                                  link == KeyLink::kNone ? nullptr : &kpi));
    // Windows writes a registry store at once; Wine only on commit or close (reference/windows-build-notes.md
    // 10).
    EXPECT_TRUE(CertControlStore(store_, 0, CERT_STORE_CTRL_COMMIT, nullptr)) << std::hex << GetLastError();
    certs_.emplace_back(added);
    return added;
  }

 private:
  std::wstring name_;
  HCERTSTORE store_ = nullptr;
  std::vector<std::wstring> containers_;
  std::vector<win::UniqueCert> certs_;
};

}  // namespace rdpmend::test_support
