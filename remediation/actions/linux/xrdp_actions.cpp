#include "actions/linux/xrdp_actions.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "actions/linux/file_backup.h"
#include "actions/linux/key_group_action.h"
#include "actions/linux/nft_firewall_action.h"
#include "actions/linux/self_signed.h"
#include "catalog/catalog_ids.h"
#include "inspect/linux/posix_access.h"
#include "inspect/linux/run_command.h"
#include "probe/openssl_util.h"
#include "security/linux/posix_files.h"
#include "security/program_trust.h"
#include "security/trusted_file.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;

std::string os_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

Status need_root(std::string_view action) {
  if (geteuid() != 0) return Error{std::string(action), "", "changing the host needs root"};
  return Ok{};
}

Result<unsigned> primary_gid(const std::string& user) {
  auto account = inspect::linux_host::lookup_account(user);
  if (!account) return account.error();
  return account.value().gid;
}

bool parses_as(const std::string& pem, bool certificate) {
  return certificate ? probe::parse_pem_certificate(pem) != nullptr
                     : probe::parse_pem_private_key(pem) != nullptr;
}

// The key file opened for a permission change: a regular file with one name, in folders only root can
// change, that parses as a private key. Links in its last component are refused: permissions are never
// changed through a link (Debian's snakeoil link is repaired by group membership: key_group_action.h).
Result<security::TrustedFile> open_key_to_change(const std::string& path, const char* what) {
  auto entry = security::open_trusted_entry(path);
  if (!entry) return entry.error().to_error(what);
  if (!entry.value().facts) return Error{what, path, "the key file does not exist"};
  if (entry.value().facts->kind == security::ComponentFacts::Kind::kSymlink)
    return Error{
        what, path,
        "it is a symlink: permissions are never changed through a link (XrdpKeyAccess auto or "
        "user-group repairs a shared key by group membership; regenerate-rdp-cert writes real files)"};
  auto file = security::open_trusted_file(path, security::Use::kChange);
  if (!file) return file.error().to_error(what);
  if (file.value().facts.links != 1)
    return Error{what, path,
                 "refused (hard-linked): it has " + std::to_string(file.value().facts.links) +
                     " names, so its permissions are never changed"};
  auto pem = security::read_all(file.value());
  if (!pem) return pem.error().to_error(what);
  if (!parses_as(pem.value(), false))
    return Error{what, path, "refused (not-a-private-key): it is not a PEM private key"};
  return std::move(file).value();
}

// --- repair-rdp-key-acl ---

class RepairKeyAcl final : public Action {
 public:
  explicit RepairKeyAcl(XrdpActionConfig config) : config_(std::move(config)) {}
  std::string_view id() const override { return ids::action::kRepairRdpKeyAcl; }
  std::string target(const HostState& s) const override { return s.listener.key_path; }

  Status check(const HostState& s) override {
    if (auto root = need_root(id()); !root) return root;
    if (auto ok = not_refused(id(), s, {inspect::kRoleListenerSettings, inspect::kRoleKey}); !ok) return ok;
    if (s.listener.key_path.empty() || !s.certificate.key.exists)
      return Error{std::string(id()), s.listener.key_path, "the key file does not exist"};
    // A key that is not the certificate's is replaced with it (regenerate-rdp-cert), never made readable.
    if (s.certificate.key_matches == false)
      return Error{std::string(id()), s.listener.key_path, "the key does not belong to the certificate"};
    if (auto key = open_key_to_change(s.listener.key_path, "repair key permissions"); !key)
      return key.error();
    if (auto gid = primary_gid(config_.xrdp_user); !gid) return gid.error();
    return Ok{};
  }

  Result<Backup> backup(const HostState& s) override {
    auto key = open_key_to_change(s.listener.key_path, "back up key permissions");
    if (!key) return key.error();
    struct stat st {};
    if (fstat(security::fd_of(key.value().handle), &st) != 0)
      return Error{"back up key permissions", s.listener.key_path, os_error("fstat")};
    return Backup{{{"path", s.listener.key_path},
                   {"uid", st.st_uid},
                   {"gid", st.st_gid},
                   {"mode", st.st_mode & 07777},
                   {"device", key.value().identity.device},
                   {"object", key.value().identity.object}}};
  }

  Status apply(const HostState& s, const Backup& b) override {
    auto gid = primary_gid(config_.xrdp_user);
    if (!gid) return gid.error();
    // root owns it, the xrdp user's group reads it, nobody else: never wider than that.
    return set_owner_mode(s.listener.key_path, b.data, 0, gid.value(), 0640, "repair key permissions");
  }

  Status verify(const HostState& after) override {
    const auto& key = after.certificate.key;
    if (key.readable_by_service != true)
      return Error{"verify key permissions", key.path, "the xrdp user still cannot read it"};
    if (key.mode && (*key.mode & 0007))
      return Error{"verify key permissions", key.path, "others can read it"};
    return Ok{};
  }

  Status rollback(const Backup& b) override {
    try {
      return set_owner_mode(b.data.at("path").get<std::string>(), b.data, b.data.at("uid").get<unsigned>(),
                            b.data.at("gid").get<unsigned>(), b.data.at("mode").get<unsigned>(),
                            "roll back key permissions");
    } catch (const Json::exception& e) {
      return Error{"roll back key permissions", "", std::string("the backup is damaged: ") + e.what()};
    }
  }

 private:
  // Through a descriptor opened now under the trust rule, and only on the file the backup was taken of.
  static Status set_owner_mode(const std::string& path, const Json& backup, unsigned uid, unsigned gid,
                               unsigned mode, const char* what) {
    auto key = open_key_to_change(path, what);
    if (!key) return key.error();
    if (backup.contains("device") &&
        security::FileIdentity{backup.at("device").get<std::uint64_t>(),
                               backup.at("object").get<std::uint64_t>()} != key.value().identity)
      return Error{what, path,
                   "refused (changed): it is not the file the backup was taken of; nothing was changed"};
    const int fd = security::fd_of(key.value().handle);
    if (fchown(fd, uid, gid) != 0) return Error{what, path, os_error("fchown")};
    if (fchmod(fd, mode) != 0) return Error{what, path, os_error("fchmod")};
    return Ok{};
  }

  XrdpActionConfig config_;
};

// --- regenerate-rdp-cert ---

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

// --- start-rdp-service / restart-rdp-service ---

class RunServiceCommand final : public Action {
 public:
  RunServiceCommand(std::string id, XrdpActionConfig config)
      : id_(std::move(id)), config_(std::move(config)) {}
  std::string_view id() const override { return id_; }
  std::string target(const HostState&) const override { return ids::rdp_service::kXrdp; }

  Status check(const HostState&) override {
    if (auto root = need_root(id_); !root) return root;
    if (config_.restart_command.empty())
      return Error{id_, "", "no restart command configured ([xrdp] restart in the configuration file)"};
    if (auto refused = security::check_program(config_.restart_command)) return refused->to_error(id_);
    return Ok{};
  }
  Result<Backup> backup(const HostState&) override { return Backup{Json::object()}; }
  Status apply(const HostState&, const Backup&) override {
    // Checked again right before it runs: a program run as root must pass the trust rule now.
    if (auto refused = security::check_program(config_.restart_command)) return refused->to_error(id_);
    auto out = inspect::linux_host::run_command(config_.restart_command, std::chrono::seconds(60));
    if (!out) return out.error();
    if (out.value().exit_status != 0)
      return Error{
          id_, config_.restart_command.front(),
          "exit status " + std::to_string(out.value().exit_status) + ": " + out.value().err.substr(0, 300)};
    return Ok{};
  }
  Status verify(const HostState& after) override {
    const auto* s = after.service(ids::rdp_service::kXrdp);
    if (!s || s->state != "running")
      return Error{"verify service", ids::rdp_service::kXrdp, "not running and listening"};
    return Ok{};
  }
  bool reversible() const override { return false; }
  Status rollback(const Backup&) override { return Ok{}; }

 private:
  std::string id_;
  XrdpActionConfig config_;
};

}  // namespace

ActionSet make_xrdp_actions(const XrdpActionConfig& config) {
  ActionSet set;
  KeyGroupConfig group{config.xrdp_user, config.key_group};
  if (config.key_access == "user-group")
    set.add(make_key_group_action(group));
  else if (config.key_access == "auto")
    set.add(make_auto_key_access_action(group, std::make_unique<RepairKeyAcl>(config)));
  else
    set.add(std::make_unique<RepairKeyAcl>(config));
  set.add(std::make_unique<RegenerateCert>(config));
  set.add(make_nft_firewall_action(config.nft));
  set.add(std::make_unique<RunServiceCommand>(ids::action::kStartRdpService, config));
  set.add(std::make_unique<RunServiceCommand>(ids::action::kRestartRdpService, config));
  return set;
}

}  // namespace rdpmend::actions
