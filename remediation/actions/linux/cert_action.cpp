#include "actions/linux/cert_action.h"

#include "actions/linux/file_backup.h"
#include "actions/linux/self_signed.h"
#include "actions/linux/xrdp_action_support.h"
#include "catalog/catalog_ids.h"
#include "security/linux/posix_files.h"
#include "security/trusted_file.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;

// A certificate or key entry may be replaced when it is missing, a link (the link is replaced, never its
// target), or a file that parses as what it should be; anything else is the administrator's.
Status replaceable(const std::string& path, bool certificate, const char* action) {
  auto entry = security::open_trusted_entry(path);
  if (!entry) return entry.error().to_error(action);
  const auto& facts = entry.value().facts;
  if (!facts || facts->kind == security::ComponentFacts::Kind::kSymlink) return Ok{};
  auto file = security::open_trusted_file(path, security::Use::kChange);
  if (!file) return file.error().to_error(action);
  auto pem = security::read_all(file.value());
  if (!pem) return pem.error().to_error(action);
  if (!parses_as(pem.value(), certificate))
    return Error{action, path,
                 certificate
                     ? "refused (not-a-certificate): it is not a PEM certificate, so it is not replaced"
                     : "refused (not-a-private-key): it is not a PEM private key, so it is not replaced"};
  return Ok{};
}

class RegenerateCert final : public Action {
 public:
  explicit RegenerateCert(XrdpActionConfig config) : config_(std::move(config)) {}
  std::string_view id() const override { return ids::action::kRegenerateRdpCert; }
  std::string target(const HostState& s) const override { return s.listener.certificate_path; }

  Status check(const HostState& s) override {
    if (auto root = need_root(id()); !root) return root;
    if (auto ok = not_refused(id(), s,
                              {inspect::kRoleListenerSettings, inspect::kRoleCertificate, inspect::kRoleKey});
        !ok)
      return ok;
    if (s.listener.certificate_path.empty() || s.listener.key_path.empty())
      return Error{std::string(id()), "", "xrdp.ini gives no certificate and key paths"};
    // A certificate issued by a CA belongs to the administrator: only self-signed ones are replaced.
    if (s.certificate.present && s.certificate.info && !s.certificate.info->self_signed)
      return Error{std::string(id()), s.listener.certificate_path,
                   "issued by " + s.certificate.info->issuer +
                       ", not self-signed: RdpMend only replaces self-signed certificates"};
    if (auto ok = replaceable(s.listener.certificate_path, true, ids::action::kRegenerateRdpCert); !ok)
      return ok;
    if (auto ok = replaceable(s.listener.key_path, false, ids::action::kRegenerateRdpCert); !ok) return ok;
    if (config_.hostname.empty()) return Error{std::string(id()), "", "no host name for the certificate"};
    if (auto gid = primary_gid(config_.xrdp_user); !gid) return gid.error();
    return Ok{};
  }

  Result<Backup> backup(const HostState& s) override {
    auto certificate = save_entry(s.listener.certificate_path);
    if (!certificate) return certificate.error();
    auto key = save_entry(s.listener.key_path);
    if (!key) return key.error();
    return Backup{{{"certificate", certificate.value()}, {"key", key.value()}}};
  }

  Status apply(const HostState& s, const Backup&) override {
    auto gid = primary_gid(config_.xrdp_user);
    if (!gid) return gid.error();
    if (auto ok = replaceable(s.listener.certificate_path, true, ids::action::kRegenerateRdpCert); !ok)
      return ok;
    if (auto ok = replaceable(s.listener.key_path, false, ids::action::kRegenerateRdpCert); !ok) return ok;
    auto pair = make_self_signed({config_.hostname, config_.key_type, config_.validity_days});
    if (!pair) return pair.error();
    auto key_entry = security::open_trusted_entry(s.listener.key_path);
    if (!key_entry) return key_entry.error().to_error("write key");
    auto cert_entry = security::open_trusted_entry(s.listener.certificate_path);
    if (!cert_entry) return cert_entry.error().to_error("write certificate");
    // The key first: a certificate without its key is the mismatch this action repairs.
    if (auto k = security::replace_file(key_entry.value().folder, key_entry.value().name,
                                        pair.value().key_pem, 0, gid.value(), 0640);
        !k)
      return k;
    return security::replace_file(cert_entry.value().folder, cert_entry.value().name, pair.value().cert_pem,
                                  0, 0, 0644);
  }

  Status verify(const HostState& after) override {
    const auto& c = after.certificate;
    if (!c.present)
      return Error{"verify certificate", c.location, c.error.empty() ? "no certificate" : c.error};
    if (c.key_matches != true) return Error{"verify certificate", c.location, "the key does not match"};
    if (c.info && (c.info->expired || c.info->not_yet_valid))
      return Error{"verify certificate", c.location, "not valid now"};
    if (c.key.readable_by_service != true)
      return Error{"verify certificate", c.key.path, "the xrdp user cannot read the key"};
    return Ok{};
  }

  Status rollback(const Backup& b) override {
    try {
      return restore_entries({b.data.at("key"), b.data.at("certificate")});
    } catch (const Json::exception& e) {
      return Error{"roll back certificate", "", std::string("the backup is damaged: ") + e.what()};
    }
  }

 private:
  XrdpActionConfig config_;
};

}  // namespace

std::unique_ptr<Action> make_regenerate_cert_action(const XrdpActionConfig& config) {
  return std::make_unique<RegenerateCert>(config);
}

}  // namespace rdpmend::actions
