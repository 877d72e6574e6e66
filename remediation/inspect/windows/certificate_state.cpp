#include "inspect/windows/certificate_state.h"

#include <windows.h>

#include <ncrypt.h>
#include <wincrypt.h>

#include <cstdio>
#include <optional>
#include <span>

#include "inspect/windows/file_security.h"
#include "inspect/windows/listener_settings.h"
#include "inspect/windows/status_text.h"
#include "platform/windows/handles.h"
#include "platform/windows/win_text.h"
#include "probe/certificate_info.h"

namespace rdpmend::inspect::windows {
namespace {

constexpr DWORD kEncoding = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING;

using win::UniqueCert;
using win::UniqueStore;

class CryptProvider {
 public:
  CryptProvider() = default;
  CryptProvider(const CryptProvider&) = delete;
  CryptProvider& operator=(const CryptProvider&) = delete;
  ~CryptProvider() {
    if (handle) CryptReleaseContext(handle, 0);
  }
  HCRYPTPROV handle = 0;
};

class NCryptObject {
 public:
  NCryptObject() = default;
  NCryptObject(const NCryptObject&) = delete;
  NCryptObject& operator=(const NCryptObject&) = delete;
  ~NCryptObject() {
    if (handle) NCryptFreeObject(handle);
  }
  NCRYPT_HANDLE handle = 0;
};

std::string store_text(const std::wstring& name) {
  return "LocalMachine\\" + win::narrow(name);
}

std::string hex_upper(const BYTE* data, DWORD size) {
  std::string out;
  char two[3];
  for (DWORD i = 0; i < size; ++i) {
    std::snprintf(two, sizeof two, "%02X", static_cast<unsigned>(data[i]));
    out += two;
  }
  return out;
}

std::string thumbprint(const CERT_CONTEXT* cert) {
  BYTE hash[20];
  DWORD size = sizeof hash;
  if (!CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, hash, &size)) return "(no thumbprint)";
  return hex_upper(hash, size);
}

std::optional<std::vector<BYTE>> bytes_of_hex(const std::string& hex) {
  if (hex.size() % 2) return std::nullopt;
  std::vector<BYTE> out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    if (std::sscanf(hex.c_str() + i, "%2x", &v) != 1) return std::nullopt;
    out.push_back(static_cast<BYTE>(v));
  }
  return out;
}

FILETIME filetime_of(std::chrono::system_clock::time_point t) {
  using Ticks = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
  constexpr std::int64_t kUnixEpochIn1601 = 116444736000000000LL;
  const std::int64_t ticks =
      std::chrono::duration_cast<Ticks>(t.time_since_epoch()).count() + kUnixEpochIn1601;
  FILETIME ft;
  ft.dwLowDateTime = static_cast<DWORD>(static_cast<std::uint64_t>(ticks) & 0xffffffffULL);
  ft.dwHighDateTime = static_cast<DWORD>(static_cast<std::uint64_t>(ticks) >> 32);
  return ft;
}

// nullopt: the store does not exist (a fresh Windows has no "Remote Desktop" store until RDP made one).
Result<std::optional<UniqueStore>> open_machine_store(const std::wstring& name) {
  HCERTSTORE store = CertOpenStore(
      CERT_STORE_PROV_SYSTEM_W, 0, 0,
      CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG,
      name.c_str());
  if (!store) {
    DWORD code = GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND) return std::optional<UniqueStore>();
    return Error{"open certificate store", store_text(name), status_text(static_cast<long>(code))};
  }
  return std::optional<UniqueStore>(UniqueStore(store));
}

// The newest certificate valid at `now`; if none is valid, the one that expired last (so that expiry is
// reported rather than "missing").
UniqueCert newest_valid(HCERTSTORE store, const FILETIME& now) {
  UniqueCert best;
  bool best_valid = false;
  const CERT_CONTEXT* cert = nullptr;
  while ((cert = CertEnumCertificatesInStore(store, cert)) != nullptr) {
    const CERT_INFO* info = cert->pCertInfo;
    const bool valid =
        CompareFileTime(&info->NotBefore, &now) <= 0 && CompareFileTime(&now, &info->NotAfter) <= 0;
    bool better = !best || (valid && !best_valid);
    if (best && valid == best_valid) {
      better = valid ? CompareFileTime(&info->NotBefore, &best->pCertInfo->NotBefore) > 0
                     : CompareFileTime(&info->NotAfter, &best->pCertInfo->NotAfter) > 0;
    }
    if (better) {
      best.reset(CertDuplicateCertificateContext(cert));
      best_valid = valid;
    }
  }
  return best;
}

class WindowsCertificates final : public CertificateInspector {
 public:
  explicit WindowsCertificates(CertificateLocations where) : where_(std::move(where)) {
    if (where_.service_sids.empty()) where_.service_sids = network_service_sids();
  }

  ListenerCertificate inspect(const ListenerSettings&, std::chrono::system_clock::time_point now,
                              int expiring_within_days) override {
    ListenerCertificate out;
    UniqueCert cert;
    auto configured = read_configured_certificate_hash(where_.terminal_server);
    if (!configured) {
      out.source = "configured";
      out.error = configured.error().message();
      return out;
    }
    std::wstring found_in;
    if (configured.value()) {
      out.source = "configured";
      cert = find_configured(*configured.value(), out, found_in);
    } else {
      out.source = "self-signed";
      cert = find_self_signed(filetime_of(now), out);
    }
    if (!cert) return out;

    out.present = true;
    std::span<const std::uint8_t> der(cert->pbCertEncoded, cert->cbCertEncoded);
    auto info = probe::describe_certificate(der, now, expiring_within_days);
    if (info)
      out.info = std::move(info).value();
    else
      out.error = info.error().message();
    // A hash pinned to Windows' own self-signed certificate is still the self-signed default (the action's
    // check still verifies the signature, the template extension and the CA flag before removing it).
    if (out.source == "configured" && out.info && out.info->self_signed &&
        CompareStringOrdinal(found_in.c_str(), -1, where_.self_signed_store.c_str(), -1, TRUE) ==
            CSTR_EQUAL) {
      out.source = "self-signed";
      out.pinned_by_hash = true;
    }
    inspect_key(cert.get(), out);
    return out;
  }

 private:
  UniqueCert find_configured(const std::string& hex, ListenerCertificate& out, std::wstring& found_in) {
    auto hash = bytes_of_hex(hex);
    if (!hash) {
      out.error = "SSLCertificateSHA1Hash '" + hex + "' is not hexadecimal";
      return {};
    }
    CRYPT_HASH_BLOB blob{static_cast<DWORD>(hash->size()), hash->data()};
    std::string searched;
    for (const auto& name : where_.configured_stores) {
      searched += (searched.empty() ? "" : " and ") + store_text(name);
      auto store = open_machine_store(name);
      if (!store) {
        out.error += (out.error.empty() ? "" : "; ") + store.error().message();
        continue;
      }
      if (!store.value()) continue;
      const CERT_CONTEXT* found =
          CertFindCertificateInStore(store.value()->get(), kEncoding, 0, CERT_FIND_SHA1_HASH, &blob, nullptr);
      if (found) {
        out.location = store_text(name) + "\\" + hex;
        found_in = name;
        return UniqueCert(found);
      }
    }
    out.location = "SSLCertificateSHA1Hash " + hex + " (not found in " + searched + ")";
    return {};
  }

  UniqueCert find_self_signed(const FILETIME& now, ListenerCertificate& out) {
    out.location = store_text(where_.self_signed_store);
    auto store = open_machine_store(where_.self_signed_store);
    if (!store) {
      out.error = store.error().message();
      return {};
    }
    if (!store.value()) {
      out.location += " (the store does not exist)";
      return {};
    }
    UniqueCert cert = newest_valid(store.value()->get(), now);
    if (cert)
      out.location += "\\" + thumbprint(cert.get());
    else
      out.location += " (empty)";
    return cert;
  }

  void inspect_key(const CERT_CONTEXT* cert, ListenerCertificate& out) {
    FileState& key = out.key;
    DWORD size = 0;
    if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size)) {
      DWORD code = GetLastError();
      key.error = code == static_cast<DWORD>(CRYPT_E_NOT_FOUND)
                      ? "the certificate has no private key (no CERT_KEY_PROV_INFO_PROP_ID)"
                      : "read CERT_KEY_PROV_INFO_PROP_ID: " + status_text(static_cast<long>(code));
      return;
    }
    std::vector<std::uint64_t> buffer((size + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
    if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, buffer.data(), &size)) {
      key.error = "read CERT_KEY_PROV_INFO_PROP_ID: " + status_text(static_cast<long>(GetLastError()));
      return;
    }
    const auto* kpi = reinterpret_cast<const CRYPT_KEY_PROV_INFO*>(buffer.data());
    const std::string container =
        kpi->pwszContainerName ? win::narrow(kpi->pwszContainerName) : std::string();
    const std::string provider =
        kpi->pwszProvName ? win::narrow(kpi->pwszProvName) : std::string("(default)");
    const std::string what = "key container '" + container + "' of '" + provider + "'";

    std::optional<std::wstring> file;
    if (kpi->dwProvType != 0)
      file = capi_key(cert, *kpi, what, out);
    else
      file = cng_key(cert, *kpi, what, out);
    if (!file) return;

    FileState state = inspect_file_security(*file, where_.service_sids);
    if (!state.exists) {
      // The container opened, so the key is there; its file is not where Windows keeps it (Wine keeps machine
      // keys in the registry). Nothing is said about its permissions.
      key.path = state.path;
      key.error = what + " opened, but its file '" + state.path + "' does not exist" +
                  (state.error.empty() ? "" : ": " + state.error);
      return;
    }
    bool exists = key.exists;
    key = std::move(state);
    key.exists = exists;
  }

  // CryptoAPI: CryptAcquireContextW with the certificate's container and the machine key set flag from the
  // property itself (Wine's CryptAcquireCertificatePrivateKey drops CRYPT_MACHINE_KEYSET; this is plain
  // CryptoAPI and works on both), then PP_UNIQUE_CONTAINER names the file under MachineKeys.
  std::optional<std::wstring> capi_key(const CERT_CONTEXT* cert, const CRYPT_KEY_PROV_INFO& kpi,
                                       const std::string& what, ListenerCertificate& out) {
    FileState& key = out.key;
    const bool machine = (kpi.dwFlags & CRYPT_MACHINE_KEYSET) != 0;
    CryptProvider provider;
    if (!CryptAcquireContextW(&provider.handle, kpi.pwszContainerName, kpi.pwszProvName, kpi.dwProvType,
                              CRYPT_SILENT | (machine ? CRYPT_MACHINE_KEYSET : 0))) {
      DWORD code = GetLastError();
      key.error =
          (code == static_cast<DWORD>(NTE_BAD_KEYSET) ? what + " does not exist: " : "open " + what + ": ") +
          status_text(static_cast<long>(code));
      return std::nullopt;
    }
    key.exists = true;
    compare_public_key(cert, provider.handle, kpi.dwKeySpec, what, out);
    if (!key.exists) return std::nullopt;

    DWORD size = 0;
    if (!CryptGetProvParam(provider.handle, PP_UNIQUE_CONTAINER, nullptr, &size, 0) || size == 0) {
      key.error =
          "read PP_UNIQUE_CONTAINER of " + what + ": " + status_text(static_cast<long>(GetLastError()));
      return std::nullopt;
    }
    std::vector<BYTE> name(size);
    if (!CryptGetProvParam(provider.handle, PP_UNIQUE_CONTAINER, name.data(), &size, 0)) {
      key.error =
          "read PP_UNIQUE_CONTAINER of " + what + ": " + status_text(static_cast<long>(GetLastError()));
      return std::nullopt;
    }
    std::string unique(reinterpret_cast<const char*>(name.data()),
                       strnlen(reinterpret_cast<const char*>(name.data()), size));
    if (!machine) {
      key.error = what + " is in a user key set (" + unique + "), which NETWORK SERVICE does not open";
      key.readable_by_service = false;
      return std::nullopt;
    }
    auto folder = where_.rsa_machine_keys.empty() ? rsa_machine_keys_folder()
                                                  : Result<std::wstring>(where_.rsa_machine_keys);
    if (!folder) {
      key.error = folder.error().message();
      return std::nullopt;
    }
    return folder.value() + L"\\" + win::widen(unique);
  }

  // CNG: NCryptOpenKey, then NCRYPT_UNIQUE_NAME_PROPERTY names the file under Crypto\Keys (Microsoft Software
  // Key Storage Provider; other providers, a TPM for one, keep no file to check).
  std::optional<std::wstring> cng_key(const CERT_CONTEXT* cert, const CRYPT_KEY_PROV_INFO& kpi,
                                      const std::string& what, ListenerCertificate& out) {
    FileState& key = out.key;
    const bool machine = (kpi.dwFlags & NCRYPT_MACHINE_KEY_FLAG) != 0;
    NCryptObject provider;
    SECURITY_STATUS status = NCryptOpenStorageProvider(&provider.handle, kpi.pwszProvName, 0);
    if (status != ERROR_SUCCESS) {
      key.error = "open the key storage provider of " + what + ": " + status_text(status);
      return std::nullopt;
    }
    NCryptObject handle;
    status = NCryptOpenKey(provider.handle, &handle.handle, kpi.pwszContainerName, kpi.dwKeySpec,
                           (machine ? NCRYPT_MACHINE_KEY_FLAG : 0) | NCRYPT_SILENT_FLAG);
    if (status != ERROR_SUCCESS) {
      key.error = (status == NTE_BAD_KEYSET ? what + " does not exist: " : "open " + what + ": ") +
                  status_text(status);
      return std::nullopt;
    }
    key.exists = true;
    compare_public_key(cert, handle.handle, 0, what, out);
    if (!key.exists) return std::nullopt;

    DWORD size = 0;
    status = NCryptGetProperty(handle.handle, NCRYPT_UNIQUE_NAME_PROPERTY, nullptr, 0, &size, 0);
    std::wstring unique(size / sizeof(wchar_t), L'\0');
    if (status == ERROR_SUCCESS && size)
      status = NCryptGetProperty(handle.handle, NCRYPT_UNIQUE_NAME_PROPERTY,
                                 reinterpret_cast<PBYTE>(unique.data()), size, &size, 0);
    if (status != ERROR_SUCCESS || unique.empty()) {
      key.error = "read NCRYPT_UNIQUE_NAME_PROPERTY of " + what + ": " + status_text(status);
      return std::nullopt;
    }
    unique.resize(wcsnlen(unique.c_str(), unique.size()));
    const std::wstring software_ksp = MS_KEY_STORAGE_PROVIDER;
    if (!kpi.pwszProvName ||
        CompareStringOrdinal(kpi.pwszProvName, -1, software_ksp.c_str(), -1, TRUE) != CSTR_EQUAL) {
      key.error = what + " is held by that provider, not in a key file: its access is not judged here";
      return std::nullopt;
    }
    if (!machine) {
      key.error = what + " is a user key (" + win::narrow(unique) + "), which NETWORK SERVICE does not open";
      key.readable_by_service = false;
      return std::nullopt;
    }
    if (unique.find(L'\\') != std::wstring::npos) return unique;  // already a path
    auto folder = where_.cng_machine_keys.empty() ? cng_machine_keys_folder()
                                                  : Result<std::wstring>(where_.cng_machine_keys);
    if (!folder) {
      key.error = folder.error().message();
      return std::nullopt;
    }
    return folder.value() + L"\\" + unique;
  }

  // key_matches: the public half of the container's key against the certificate's public key.
  static void compare_public_key(const CERT_CONTEXT* cert, HCRYPTPROV_OR_NCRYPT_KEY_HANDLE key,
                                 DWORD key_spec, const std::string& what, ListenerCertificate& out) {
    DWORD size = 0;
    if (!CryptExportPublicKeyInfo(key, key_spec, X509_ASN_ENCODING, nullptr, &size)) {
      DWORD code = GetLastError();
      if (code == static_cast<DWORD>(NTE_NO_KEY) || code == static_cast<DWORD>(NTE_BAD_KEY)) {
        out.key.exists = false;
        out.key.error = what + " holds no key pair for key spec " + std::to_string(key_spec) + ": " +
                        status_text(static_cast<long>(code));
      } else {
        out.error += (out.error.empty() ? "" : "; ") +
                     ("export the public key of " + what + ": " + status_text(static_cast<long>(code)));
      }
      return;
    }
    std::vector<std::uint64_t> buffer((size + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
    auto* info = reinterpret_cast<CERT_PUBLIC_KEY_INFO*>(buffer.data());
    if (!CryptExportPublicKeyInfo(key, key_spec, X509_ASN_ENCODING, info, &size)) {
      out.error += (out.error.empty() ? "" : "; ") + ("export the public key of " + what + ": " +
                                                      status_text(static_cast<long>(GetLastError())));
      return;
    }
    out.key_matches =
        CertComparePublicKeyInfo(X509_ASN_ENCODING,
                                 const_cast<CERT_PUBLIC_KEY_INFO*>(&cert->pCertInfo->SubjectPublicKeyInfo),
                                 info) != FALSE;
  }

  CertificateLocations where_;
};

}  // namespace

std::unique_ptr<CertificateInspector> make_certificate_inspector(CertificateLocations where) {
  return std::make_unique<WindowsCertificates>(std::move(where));
}

}  // namespace rdpmend::inspect::windows
