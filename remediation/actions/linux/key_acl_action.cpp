#include "actions/linux/key_acl_action.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "actions/linux/xrdp_action_support.h"
#include "catalog/catalog_ids.h"
#include "security/linux/posix_files.h"
#include "security/trusted_file.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;

std::string os_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
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

}  // namespace

std::unique_ptr<Action> make_key_acl_action(const XrdpActionConfig& config) {
  return std::make_unique<RepairKeyAcl>(config);
}

}  // namespace rdpmend::actions
