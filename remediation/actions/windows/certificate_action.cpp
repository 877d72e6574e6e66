// regenerate-rdp-cert: the self-signed listener certificate leaves the `Remote Desktop` machine store so that
// TermService/SessionEnv make a new one when they restart (reference 3.4, the documented procedure; the
// restart itself is restart-rdp-service, a separate action that every such finding plans next).
//
// check   Administrator; the listener's certificate is the self-signed default (not SSLCertificateSHA1Hash,
//         not a Group Policy template); the one in the store is self-signed by its own signature, carries no
//         certificate-template extension and is not a CA. A missing certificate passes (nothing to remove).
// backup  the certificate as DER (hex) with its store, thumbprint and key provider information (container,
//         provider, type, flags, key spec), and whether its key will be removed (below).
// apply   deletes it from the store by thumbprint and checks it is gone. Its key container is removed only
//         when it cannot be repaired: the inspection found that the key in it does not belong to the
//         certificate (key_matches false), and it is the self-signed container (TSSecKeySet1) of the machine
//         key set, the "object already exists" case of TermService 1058. A key that exists and matches but
//         that NETWORK SERVICE cannot read is left alone: repair-rdp-key-acl repairs it.
//         Then SessionEnv (Remote Desktop Configuration) is restarted: it makes the new self-signed
//         certificate without ending any session (docs/SESSIONS.md); when a new certificate is in the store
//         within new_certificate_timeout, no TermService restart is needed (served_without_restart). When
//         SessionEnv is absent, cannot be restarted or makes none, the planned restart of TermService does.
// verify  honest about the restart: Ok when the removed certificate is no longer the listener's and either a
//         new valid certificate with its key is in place, or none is yet (TermService creates it when it
//         restarts; restart-rdp-service then verifies the served certificate through the self-probe). The
//         old certificate still there, or an expired, expiring or key-less one in its place, fails. (Verify
//         after a crash runs on a new instance that does not know the removed thumbprint: the expiring and
//         key checks are what catch an old certificate then.)
// pinned  when SSLCertificateSHA1Hash names the removed certificate (a script pinned Windows' own one; the
//         inspection reports it as the self-signed default, pinned_by_hash), the backup keeps the value,
//         apply deletes it after the removal (a hash naming a certificate that is gone only makes TermService
//         log 1053-1055 and fall back), verify fails while it still names the removed certificate, and
//         rollback writes it back.
// rollback re-adds the saved DER to the same store (the store name and the thumbprint of the DER are
//         checked against the action's own) with its key provider information. A removed key container
//         cannot come back: the key was not exportable and did not match the certificate anyway.
#include <windows.h>

#include <wincrypt.h>

#include <cctype>
#include <optional>

#include "actions/windows/administrator.h"
#include "actions/windows/windows_actions.h"
#include "inspect/windows/status_text.h"
#include "platform/windows/handles.h"
#include "platform/windows/scm.h"
#include "platform/windows/win_text.h"
#include "util/encoding.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;
using win::UniqueCert;
using win::UniqueStore;

constexpr DWORD kEncoding = X509_ASN_ENCODING | PKCS_7_ASN_ENCODING;
constexpr std::size_t kMaxDer = 64 * 1024;
// Certificate template extensions (szOID_CERTIFICATE_TEMPLATE, szOID_ENROLL_CERTTYPE_EXTENSION): a
// certificate enrolled from a template (Group Policy "Server authentication certificate template") carries
// one.
constexpr const char* kTemplateOids[] = {"1.3.6.1.4.1.311.21.7", "1.3.6.1.4.1.311.20.2"};

std::string status(DWORD code) {
  return inspect::windows::status_text(static_cast<long>(code));
}

bool is_sha1_hex(const std::string& s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string thumbprint(const CERT_CONTEXT* cert) {
  BYTE hash[20];
  DWORD size = sizeof hash;
  if (!CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, hash, &size)) return {};
  return util::to_hex(std::vector<std::uint8_t>(hash, hash + size));
}

// The key provider information of a certificate, as JSON (null when it has none).
Json key_info_json(const CERT_CONTEXT* cert) {
  DWORD size = 0;
  if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) || size == 0)
    return nullptr;
  std::vector<std::uint64_t> buffer((size + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
  if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, buffer.data(), &size))
    return nullptr;
  const auto* kpi = reinterpret_cast<const CRYPT_KEY_PROV_INFO*>(buffer.data());
  return Json{{"container", kpi->pwszContainerName ? win::narrow(kpi->pwszContainerName) : std::string()},
              {"provider", kpi->pwszProvName ? win::narrow(kpi->pwszProvName) : std::string()},
              {"provider_type", kpi->dwProvType},
              {"flags", kpi->dwFlags},
              {"key_spec", kpi->dwKeySpec}};
}

constexpr const wchar_t* kHashValue = L"SSLCertificateSHA1Hash";

inspect::windows::RegistryLocation rdp_tcp(const WindowsActionConfig& config) {
  return config.terminal_server.child(L"WinStations\\RDP-Tcp");
}

// The listener's SSLCertificateSHA1Hash as upper-case hex; empty when it is not set.
Result<std::string> pinned_hash(const WindowsActionConfig& config) {
  auto value = inspect::windows::read_registry_binary(rdp_tcp(config), kHashValue);
  if (!value) return value.error();
  if (!value.value()) return std::string();
  return upper(util::to_hex(*value.value()));
}

// Writes (bytes) or deletes (empty) the listener's SSLCertificateSHA1Hash.
Status set_pinned_hash(const WindowsActionConfig& config, const std::vector<std::uint8_t>& bytes) {
  const auto where = rdp_tcp(config);
  const std::string what =
      bytes.empty() ? "clear the stale SSLCertificateSHA1Hash" : "restore SSLCertificateSHA1Hash";
  HKEY raw = nullptr;
  LSTATUS rc = RegOpenKeyExW(where.hive, where.path.c_str(), 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &raw);
  if (rc != ERROR_SUCCESS) return Error{what, where.text(), win::error_text(static_cast<DWORD>(rc))};
  inspect::windows::UniqueHkey key(raw);
  rc = bytes.empty() ? RegDeleteValueW(key.get(), kHashValue)
                     : RegSetValueExW(key.get(), kHashValue, 0, REG_BINARY, bytes.data(),
                                      static_cast<DWORD>(bytes.size()));
  if (rc == ERROR_FILE_NOT_FOUND && bytes.empty()) return Ok{};  // already gone
  if (rc != ERROR_SUCCESS)
    return Error{what, where.text() + "\\SSLCertificateSHA1Hash", win::error_text(static_cast<DWORD>(rc))};
  return Ok{};
}

class RegenerateCertificate final : public Action {
 public:
  explicit RegenerateCertificate(WindowsActionConfig config) : config_(std::move(config)) {}
  std::string_view id() const override { return ids::action::kRegenerateRdpCert; }
  std::string target(const HostState&) const override { return store_text(); }

  Status check(const HostState& state) override {
    if (auto admin = windows::require_administrator(config_, id()); !admin) return admin;
    const auto& c = state.certificate;
    if (c.source != "self-signed")
      return Error{
          std::string(id()), c.location.empty() ? c.source : c.location,
          "refused: the listener's certificate is " +
              (c.source.empty() ? std::string("of unknown origin")
                                : "'" + c.source + "' (configured by an administrator or Group Policy)") +
              "; RdpMend only replaces the self-signed default"};
    if (!c.present) return Ok{};  // nothing to remove: TermService makes one when it restarts
    if (c.info && !c.info->self_signed)
      return Error{std::string(id()), c.location,
                   "refused: issued by " + c.info->issuer +
                       ", not self-signed; RdpMend only replaces "
                       "self-signed certificates"};
    auto found = find_inspected(state);
    if (!found) return found.error();
    return judge(found.value().cert.get(), found.value().sha1);
  }

  Result<Backup> backup(const HostState& state) override {
    Json b{{"store", win::narrow(config_.self_signed_store)},
           {"store_location", config_.certificate_store_location},
           {"certificate", nullptr}};
    if (!state.certificate.present) return Backup{b};
    auto found = find_inspected(state);
    if (!found) return found.error();
    const std::string& sha1 = found.value().sha1;
    const CERT_CONTEXT* c = found.value().cert.get();
    Json key = key_info_json(c);
    const bool remove_key =
        state.certificate.key_matches == false && key.is_object() && key["provider_type"].get<DWORD>() != 0 &&
        (key["flags"].get<DWORD>() & CRYPT_MACHINE_KEYSET) &&
        CompareStringOrdinal(win::widen(key["container"].get<std::string>()).c_str(), -1,
                             config_.self_signed_key_container.c_str(), -1, TRUE) == CSTR_EQUAL;
    // Kept only when it names this certificate: a hash naming another one is not the self-signed default,
    // and the check refused it.
    Json pinned = nullptr;
    if (state.certificate.pinned_by_hash) {
      auto hash = pinned_hash(config_);
      if (!hash) return hash.error();
      if (hash.value() != sha1)
        return Error{"back up " + std::string(id()), rdp_tcp(config_).text(),
                     "refused: SSLCertificateSHA1Hash changed since the inspection"};
      pinned = hash.value();
    }
    b["pinned_hash"] = pinned;
    b["certificate"] =
        Json{{"sha1", sha1},
             {"der_hex",
              util::to_hex(std::vector<std::uint8_t>(c->pbCertEncoded, c->pbCertEncoded + c->cbCertEncoded))},
             {"key", key},
             {"remove_stale_key", remove_key}};
    return Backup{b};
  }

  Status apply(const HostState& state, const Backup& backup) override {
    const std::string what = "remove the self-signed listener certificate";
    const Json& b = backup.data;
    if (!b.is_object() || !b.contains("certificate"))
      return Error{what, store_text(), "the backup is damaged"};
    served_ = false;
    if (b["certificate"].is_null()) {
      removed_sha1_.clear();
      served_ = restart_certificate_service();
      return Ok{};  // there was none to remove
    }
    auto sha1 = inspected_sha1(state);
    if (!sha1) return sha1.error();
    const Json& saved = b["certificate"];
    if (!saved.is_object() || !saved.contains("sha1") || !saved["sha1"].is_string() ||
        upper(saved["sha1"].get<std::string>()) != sha1.value())
      return Error{what, store_text(), "refused: the backup is of another certificate"};
    auto store = open_store(/*writable=*/true);
    if (!store) return store.error();
    auto cert = find(store.value().get(), sha1.value());
    if (cert) {
      // CertDeleteCertificateFromStore frees the context it is given, whatever it returns.
      if (!CertDeleteCertificateFromStore(cert.value().release()))
        return Error{what, store_text() + "\\" + sha1.value(), status(GetLastError())};
      CertControlStore(store.value().get(), 0, CERT_STORE_CTRL_COMMIT,
                       nullptr);  // Wine writes on commit only
    }
    // Gone for anyone who opens the store now (idempotent: already gone is fine).
    auto reopened = open_store(/*writable=*/false);
    if (!reopened) return reopened.error();
    if (find(reopened.value().get(), sha1.value()))
      return Error{what, store_text() + "\\" + sha1.value(), "it is still in the store after the deletion"};
    removed_sha1_ = sha1.value();
    if (b.contains("pinned_hash") && b["pinned_hash"].is_string()) {
      if (upper(b["pinned_hash"].get<std::string>()) != removed_sha1_)
        return Error{what, rdp_tcp(config_).text(),
                     "refused: the backup's pinned hash is of another certificate"};
      if (auto cleared = set_pinned_hash(config_, {}); !cleared) return cleared;
    }

    if (saved.contains("remove_stale_key") && saved["remove_stale_key"] == true) {
      if (auto removed = remove_stale_key(saved["key"]); !removed) return removed;
    }
    served_ = restart_certificate_service();
    return Ok{};
  }

  bool served_without_restart() const override { return served_; }

  Status verify(const HostState& after) override {
    const std::string what = "verify " + std::string(id());
    const auto& c = after.certificate;
    if (!removed_sha1_.empty()) {
      auto hash = pinned_hash(config_);
      if (!hash) return hash.error();
      if (hash.value() == removed_sha1_)
        return Error{what, rdp_tcp(config_).text(),
                     "SSLCertificateSHA1Hash still names the removed certificate"};
    }
    if (!c.present) return Ok{};  // removed; the new one comes with the restart (restart-rdp-service)
    if (!c.info)
      return Error{what, c.location, c.error.empty() ? "the certificate could not be read" : c.error};
    if (!removed_sha1_.empty() && upper(c.info->sha1) == removed_sha1_)
      return Error{what, c.location, "the removed certificate is still the listener's"};
    if (c.info->expired || c.info->not_yet_valid)
      return Error{what, c.location, "the certificate in place is not valid now"};
    // A new one is valid for months; one about to expire is the old one (after a crash, this instance does
    // not know which certificate it removed).
    if (c.info->expiring)
      return Error{what, c.location, "the certificate in place expires soon: it is not a new one"};
    if (c.key_matches == false)
      return Error{what, c.location, "the certificate in place does not match its key"};
    return Ok{};
  }

  Status rollback(const Backup& backup) override {
    const std::string what = "put the saved listener certificate back";
    const Json& b = backup.data;
    try {
      if (!b.is_object() || !b.contains("certificate"))
        return Error{what, store_text(), "the backup is damaged"};
      if (b["certificate"].is_null()) return Ok{};  // nothing was removed
      if (b.at("store").get<std::string>() != win::narrow(config_.self_signed_store) ||
          b.at("store_location").get<DWORD>() != config_.certificate_store_location)
        return Error{what, b.at("store").get<std::string>(),
                     "refused: the backup names another store than " + store_text()};
      const Json& saved = b["certificate"];
      const std::string sha1 = upper(saved.at("sha1").get<std::string>());
      const std::string der_hex = saved.at("der_hex").get<std::string>();
      if (!is_sha1_hex(sha1) || der_hex.size() > 2 * kMaxDer)
        return Error{what, store_text(), "the backup is damaged: bad thumbprint or oversized certificate"};
      auto der = util::from_hex(der_hex);
      if (!der || der->empty()) return Error{what, store_text(), "the backup is damaged: the DER is not hex"};
      UniqueCert parsed(
          CertCreateCertificateContext(kEncoding, der->data(), static_cast<DWORD>(der->size())));
      if (!parsed)
        return Error{what, store_text(), "the saved DER is not a certificate: " + status(GetLastError())};
      if (thumbprint(parsed.get()) != sha1)
        return Error{what, store_text(), "refused: the saved DER is not the certificate " + sha1};

      auto store = open_store(/*writable=*/true);
      if (!store) return store.error();
      const CERT_CONTEXT* added = nullptr;
      if (!CertAddEncodedCertificateToStore(store.value().get(), X509_ASN_ENCODING, der->data(),
                                            static_cast<DWORD>(der->size()), CERT_STORE_ADD_USE_EXISTING,
                                            &added))
        return Error{what, store_text() + "\\" + sha1, status(GetLastError())};
      UniqueCert owned(added);
      if (saved.contains("key") && saved["key"].is_object()) {
        const Json& key = saved["key"];
        std::wstring container = win::widen(key.at("container").get<std::string>());
        std::wstring provider = win::widen(key.at("provider").get<std::string>());
        if (container.size() > 260 || provider.size() > 260 || container.find(L'\0') != std::wstring::npos ||
            provider.find(L'\0') != std::wstring::npos)
          return Error{what, store_text(), "the backup is damaged: bad key container or provider name"};
        CRYPT_KEY_PROV_INFO kpi{};
        kpi.pwszContainerName = container.data();
        kpi.pwszProvName = provider.empty() ? nullptr : provider.data();
        kpi.dwProvType = key.at("provider_type").get<DWORD>();
        kpi.dwFlags = key.at("flags").get<DWORD>();
        kpi.dwKeySpec = key.at("key_spec").get<DWORD>();
        if (!CertSetCertificateContextProperty(added, CERT_KEY_PROV_INFO_PROP_ID, 0, &kpi))
          return Error{what, store_text() + "\\" + sha1, "link the key container: " + status(GetLastError())};
      }
      CertControlStore(store.value().get(), 0, CERT_STORE_CTRL_COMMIT, nullptr);
      if (b.contains("pinned_hash") && b["pinned_hash"].is_string()) {
        const std::string pinned = upper(b["pinned_hash"].get<std::string>());
        if (pinned != sha1)
          return Error{what, rdp_tcp(config_).text(),
                       "the backup is damaged: a pinned hash of another certificate"};
        if (auto restored = set_pinned_hash(config_, *util::from_hex(pinned)); !restored) return restored;
      }
      return Ok{};
    } catch (const Json::exception& e) {
      return Error{what, store_text(), std::string("the backup is damaged: ") + e.what()};
    }
  }

 private:
  std::string store_text() const {
    return (config_.certificate_store_location == CERT_SYSTEM_STORE_LOCAL_MACHINE ? "LocalMachine\\"
                                                                                  : "CurrentUser\\") +
           win::narrow(config_.self_signed_store);
  }

  Result<std::string> inspected_sha1(const HostState& state) const {
    const std::string sha1 = state.certificate.info ? upper(state.certificate.info->sha1) : std::string();
    if (!is_sha1_hex(sha1))
      return Error{std::string(id()), state.certificate.location,
                   "the inspection gives no thumbprint for the listener certificate"};
    return sha1;
  }

  // The inspected listener certificate in the store opened read-only, with the store it was found in.
  struct StoredCertificate {
    std::string sha1;
    UniqueStore store;
    UniqueCert cert;  // after the store: released before it
  };
  Result<StoredCertificate> find_inspected(const HostState& state) const {
    auto sha1 = inspected_sha1(state);
    if (!sha1) return sha1.error();
    auto store = open_store(/*writable=*/false);
    if (!store) return store.error();
    auto cert = find(store.value().get(), sha1.value());
    if (!cert) return cert.error();
    return StoredCertificate{sha1.value(), std::move(store).value(), std::move(cert).value()};
  }

  Result<UniqueStore> open_store(bool writable) const {
    DWORD flags = config_.certificate_store_location;
    flags |= writable ? 0 : CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG;
    HCERTSTORE store =
        CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, config_.self_signed_store.c_str());
    if (!store) return Error{"open the certificate store", store_text(), status(GetLastError())};
    return UniqueStore(store);
  }

  Result<UniqueCert> find(HCERTSTORE store, const std::string& sha1) const {
    auto hash = util::from_hex(sha1);
    if (!hash) return Error{"find the certificate", store_text(), "bad thumbprint " + sha1};
    CRYPT_HASH_BLOB blob{static_cast<DWORD>(hash->size()), hash->data()};
    const CERT_CONTEXT* cert =
        CertFindCertificateInStore(store, kEncoding, 0, CERT_FIND_SHA1_HASH, &blob, nullptr);
    if (!cert) return Error{"find the certificate", store_text() + "\\" + sha1, "it is not in the store"};
    return UniqueCert(cert);
  }

  // Self-signed by its own key, enrolled from no template, not a CA: only then is it TermService's own.
  Status judge(const CERT_CONTEXT* cert, const std::string& sha1) const {
    const std::string object = store_text() + "\\" + sha1;
    const CERT_INFO* info = cert->pCertInfo;
    const bool same_name =
        CertCompareCertificateName(X509_ASN_ENCODING, const_cast<CERT_NAME_BLOB*>(&info->Subject),
                                   const_cast<CERT_NAME_BLOB*>(&info->Issuer)) != FALSE;
    const bool self_verified =
        same_name &&
        CryptVerifyCertificateSignatureEx(0, X509_ASN_ENCODING, CRYPT_VERIFY_CERT_SIGN_SUBJECT_CERT,
                                          const_cast<CERT_CONTEXT*>(cert), CRYPT_VERIFY_CERT_SIGN_ISSUER_CERT,
                                          const_cast<CERT_CONTEXT*>(cert), 0, nullptr) != FALSE;
    if (!self_verified)
      return Error{
          std::string(id()), object,
          "refused: not self-signed (issued by another authority); RdpMend only replaces self-signed "
          "certificates"};
    for (const char* oid : kTemplateOids)
      if (CertFindExtension(oid, info->cExtension, info->rgExtension))
        return Error{std::string(id()), object,
                     "refused: enrolled from a certificate template (extension " + std::string(oid) +
                         "); Group Policy renews it, RdpMend does not replace it"};
    if (const CERT_EXTENSION* ext =
            CertFindExtension(szOID_BASIC_CONSTRAINTS2, info->cExtension, info->rgExtension)) {
      CERT_BASIC_CONSTRAINTS2_INFO bc{};
      DWORD size = sizeof bc;
      if (CryptDecodeObject(X509_ASN_ENCODING, X509_BASIC_CONSTRAINTS2, ext->Value.pbData, ext->Value.cbData,
                            0, &bc, &size) &&
          bc.fCA)
        return Error{std::string(id()), object,
                     "refused: it is a CA certificate, not a listener certificate"};
    }
    return Ok{};
  }

  Status remove_stale_key(const Json& key) const {
    const std::string what = "remove the stale key container";
    try {
      const std::wstring container = win::widen(key.at("container").get<std::string>());
      const std::wstring provider = win::widen(key.at("provider").get<std::string>());
      if (CompareStringOrdinal(container.c_str(), -1, config_.self_signed_key_container.c_str(), -1, TRUE) !=
          CSTR_EQUAL)
        return Error{what, win::narrow(container), "refused: not the self-signed listener's key container"};
      HCRYPTPROV unused = 0;
      if (!CryptAcquireContextW(&unused, container.c_str(), provider.empty() ? nullptr : provider.c_str(),
                                key.at("provider_type").get<DWORD>(),
                                CRYPT_DELETEKEYSET | CRYPT_MACHINE_KEYSET | CRYPT_SILENT)) {
        const DWORD code = GetLastError();
        if (code != static_cast<DWORD>(NTE_BAD_KEYSET))  // already gone is fine
          return Error{what, win::narrow(container), status(code)};
      }
      return Ok{};
    } catch (const Json::exception& e) {
      return Error{what, "", std::string("the backup is damaged: ") + e.what()};
    }
  }

  // SessionEnv restarted, and a new certificate (not the removed one) in the store in time. Any failure
  // is a false, never an error: the certificate is gone either way, and TermService's restart makes it.
  bool restart_certificate_service() const {
    if (config_.certificate_service.empty()) return false;
    const std::string name = win::narrow(config_.certificate_service);
    auto scm = win::Scm::connect();
    if (!scm) return false;
    auto service =
        scm.value().open(config_.certificate_service, SERVICE_STOP | SERVICE_START | SERVICE_QUERY_STATUS,
                         win::IfMissing::kEmpty);
    if (!service || !service.value()) return false;
    SC_HANDLE handle = service.value().get();
    if (!win::stop(handle, name, win::IfBusy::kWait) ||
        !win::wait_for_state(handle, name, SERVICE_STOPPED, config_.service_timeout) ||
        !win::start(handle, name) ||
        !win::wait_for_state(handle, name, SERVICE_RUNNING, config_.service_timeout))
      return false;
    const auto deadline = std::chrono::steady_clock::now() + config_.new_certificate_timeout;
    do {
      if (new_certificate_in_store()) return true;
      Sleep(250);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }

  bool new_certificate_in_store() const {
    auto store = open_store(/*writable=*/false);
    if (!store) return false;
    const CERT_CONTEXT* cert = nullptr;
    while ((cert = CertEnumCertificatesInStore(store.value().get(), cert)) != nullptr) {
      if (thumbprint(cert) == removed_sha1_) continue;
      FILETIME now;
      GetSystemTimeAsFileTime(&now);
      if (CertVerifyTimeValidity(&now, cert->pCertInfo) == 0) {
        CertFreeCertificateContext(cert);
        return true;
      }
    }
    return false;
  }

  WindowsActionConfig config_;
  std::string removed_sha1_;  // what apply removed, for verify
  bool served_ = false;       // SessionEnv made the new certificate
};

}  // namespace

std::unique_ptr<Action> make_certificate_action(const WindowsActionConfig& config) {
  return std::make_unique<RegenerateCertificate>(config);
}

}  // namespace rdpmend::actions
