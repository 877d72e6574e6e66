#include "actions/linux/key_group_action.h"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "catalog/catalog_ids.h"
#include "inspect/linux/posix_access.h"
#include "inspect/linux/run_command.h"
#include "security/linux/posix_files.h"
#include "security/trusted_file.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;

constexpr const char* kId = ids::action::kRepairRdpKeyAcl;

Status run(const std::vector<std::string>& argv) {
  auto out = inspect::linux_host::run_command(argv, std::chrono::seconds(30));
  if (!out) return out.error();
  if (out.value().exit_status != 0)
    return Error{
        kId, argv.front(),
        "exit status " + std::to_string(out.value().exit_status) + ": " + out.value().err.substr(0, 300)};
  return Ok{};
}

Result<bool> is_member(const std::string& user, unsigned gid) {
  auto account = inspect::linux_host::lookup_account(user);
  if (!account) return account.error();
  const auto& g = account.value().groups;
  return std::find(g.begin(), g.end(), gid) != g.end();
}

class JoinKeyGroup final : public Action {
 public:
  explicit JoinKeyGroup(KeyGroupConfig config) : config_(std::move(config)) {}
  std::string_view id() const override { return kId; }
  std::string target(const HostState&) const override {
    return "user " + config_.xrdp_user + " in group " + config_.group;
  }

  Status check(const HostState& s) override {
    if (geteuid() != 0) return Error{kId, "", "changing the host needs root"};
    auto gid = key_group(s);
    if (!gid) return gid.error();
    auto member = is_member(config_.xrdp_user, gid.value());
    if (!member) return member.error();
    if (member.value())
      return Error{
          kId, target(s),
          "the xrdp user is in the group already: something else keeps it from the key (a folder on the "
          "way, or xrdp has not been restarted since it joined)"};
    for (const auto& tool : {config_.usermod, config_.gpasswd})
      if (access(tool.c_str(), X_OK) != 0) return Error{kId, tool, "not installed"};
    return Ok{};
  }

  Result<Backup> backup(const HostState& s) override {
    auto gid = key_group(s);
    if (!gid) return gid.error();
    auto member = is_member(config_.xrdp_user, gid.value());
    if (!member) return member.error();
    return Backup{
        Json{{"user", config_.xrdp_user}, {"group", config_.group}, {"was_member", member.value()}}};
  }

  Status apply(const HostState&, const Backup&) override {
    return run({config_.usermod, "-a", "-G", config_.group, config_.xrdp_user});
  }

  Status verify(const HostState& after) override {
    if (after.certificate.key.readable_by_service != true)
      return Error{"verify key access", after.certificate.key.path,
                   "the xrdp user still cannot read it with its groups"};
    return Ok{};
  }

  Status rollback(const Backup& b) override {
    try {
      if (b.data.at("was_member").get<bool>()) return Ok{};
      auto user = b.data.at("user").get<std::string>();
      auto group = b.data.at("group").get<std::string>();
      if (user != config_.xrdp_user || group != config_.group)
        return Error{"roll back key access", user + " " + group, "the backup names another user or group"};
      struct group* g = getgrnam(group.c_str());
      if (!g) return Ok{};  // the group is gone: nobody is in it
      auto member = is_member(user, static_cast<unsigned>(g->gr_gid));
      if (!member) return member.error();
      if (!member.value()) return Ok{};  // already out: rolling back twice is the same state
      return run({config_.gpasswd, "-d", user, group});
    } catch (const Json::exception& e) {
      return Error{"roll back key access", "", std::string("the backup is damaged: ") + e.what()};
    }
  }

 private:
  // The key file's group (the file as xrdp opens it, links followed) when it is the policy's group and lets
  // the group read: the only case where joining the group gives read access and nothing else.
  Result<unsigned> key_group(const HostState& s) const {
    const std::string& path = s.listener.key_path;
    if (path.empty()) return Error{kId, "", "xrdp.ini names no key file"};
    if (auto ok = not_refused(kId, s, {inspect::kRoleListenerSettings, inspect::kRoleKey}); !ok)
      return ok.error();
    // Followed as xrdp follows it, under the trust rule, and only read.
    auto file = security::open_trusted_file(path, security::Use::kChange);
    if (!file) return file.error().to_error(kId);
    struct stat st {};
    if (fstat(security::fd_of(file.value().handle), &st) != 0)
      return Error{kId, path, std::string("fstat: ") + std::strerror(errno)};
    struct group* g = getgrnam(config_.group.c_str());
    if (!g) return Error{kId, config_.group, "no such group (XrdpKeyGroup)"};
    if (g->gr_gid == 0) return Error{kId, config_.group, "refused: root's group"};
    if (st.st_gid != g->gr_gid)
      return Error{kId, path,
                   "refused: the key file belongs to group " + security::group_name(st.st_gid) +
                       ", not to XrdpKeyGroup " + config_.group};
    if (!(st.st_mode & S_IRGRP)) return Error{kId, path, "refused: its group cannot read it (mode g-r)"};
    return static_cast<unsigned>(g->gr_gid);
  }

  KeyGroupConfig config_;
};

class AutoKeyAccess final : public Action {
 public:
  AutoKeyAccess(KeyGroupConfig config, std::unique_ptr<Action> file_group)
      : config_(config),
        by_group_(std::make_unique<JoinKeyGroup>(std::move(config))),
        by_file_(std::move(file_group)) {}
  std::string_view id() const override { return kId; }
  std::string target(const HostState& s) const override {
    auto way = choose(s);
    return way ? way.value()->target(s) : s.listener.key_path;
  }
  Status check(const HostState& s) override {
    auto way = choose(s);
    if (!way) return way.error();
    return way.value()->check(s);
  }
  Result<Backup> backup(const HostState& s) override {
    auto way = choose(s);
    if (!way) return way.error();
    auto inner = way.value()->backup(s);
    if (!inner) return inner.error();
    return Backup{Json{{"way", way.value() == by_group_.get() ? kUserGroup : kFileGroup},
                       {"backup", std::move(inner).value().data}}};
  }
  Status apply(const HostState& s, const Backup& b) override {
    auto* way = recorded(b);
    if (!way) return Error{kId, "", "the backup names no way of repair"};
    return way->apply(s, Backup{b.data.at("backup")});
  }
  Status verify(const HostState& after) override {
    // Both ways are verified the same: the xrdp user can read its key now.
    return by_group_->verify(after);
  }
  Status rollback(const Backup& b) override {
    auto* way = recorded(b);
    if (!way) return Error{"roll back key access", "", "the backup names no way of repair"};
    return way->rollback(Backup{b.data.at("backup")});
  }

 private:
  static constexpr const char* kUserGroup = "user-group";
  static constexpr const char* kFileGroup = "file-group";

  Result<Action*> choose(const HostState& s) const {
    const auto& key = s.certificate.key;
    const bool group_reads = key.mode && (*key.mode & 040);
    if (group_reads && key.group == config_.group) return by_group_.get();
    auto account = inspect::linux_host::lookup_account(config_.xrdp_user);
    if (!account) return account.error();
    const std::string own_group = security::group_name(account.value().gid);
    if (group_reads && !key.group.empty() && key.group != "root" && key.group != own_group)
      return Error{kId, s.listener.key_path,
                   "refused: the key is shared through group " + key.group +
                       " (other services may use it), so it "
                       "is never chgrp'd, and the xrdp user may only join XrdpKeyGroup (" +
                       config_.group + "): set XrdpKeyGroup = \"" + key.group +
                       "\" to let it join that group"};
    return by_file_.get();
  }

  Action* recorded(const Backup& b) const {
    if (!b.data.is_object() || !b.data.contains("way") || !b.data.contains("backup")) return nullptr;
    return b.data["way"] == kUserGroup ? by_group_.get() : by_file_.get();
  }

  KeyGroupConfig config_;
  std::unique_ptr<Action> by_group_;
  std::unique_ptr<Action> by_file_;
};

}  // namespace

std::unique_ptr<Action> make_key_group_action(KeyGroupConfig config) {
  return std::make_unique<JoinKeyGroup>(std::move(config));
}

std::unique_ptr<Action> make_auto_key_access_action(KeyGroupConfig config,
                                                    std::unique_ptr<Action> file_group) {
  return std::make_unique<AutoKeyAccess>(std::move(config), std::move(file_group));
}

}  // namespace rdpmend::actions
