#include "inspect/linux/posix_access.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "security/linux/posix_files.h"

namespace rdpmend::inspect::linux_host {
namespace {

bool may(const struct stat& st, const Account& a, unsigned owner_bit, unsigned group_bit,
         unsigned other_bit) {
  if (a.uid == 0) return true;  // root reads everything (the check below is for the service account)
  if (st.st_uid == a.uid) return (st.st_mode & owner_bit) != 0;
  if (std::find(a.groups.begin(), a.groups.end(), st.st_gid) != a.groups.end())
    return (st.st_mode & group_bit) != 0;
  return (st.st_mode & other_bit) != 0;
}

// Every folder on the way to the real file must be searchable by the account. The folders passed the trust
// rule, so only root can change them between this stat and the service's own open.
bool folders_searchable(const std::string& real_path, const Account& account) {
  for (auto dir = std::filesystem::path(real_path).parent_path();; dir = dir.parent_path()) {
    struct stat ds {};
    if (stat(dir.c_str(), &ds) != 0 || !may(ds, account, S_IXUSR, S_IXGRP, S_IXOTH)) return false;
    if (dir == dir.root_path()) return true;
  }
}

}  // namespace

Result<Account> lookup_account(const std::string& name) {
  std::vector<char> buffer(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  int rc = getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &found);
  if (rc != 0 || !found) return Error{"look up account", name, rc ? std::strerror(rc) : "no such user"};
  Account a{name, pw.pw_uid, pw.pw_gid, {}};
  int count = 64;
  std::vector<gid_t> gids(static_cast<std::size_t>(count));
  if (getgrouplist(name.c_str(), pw.pw_gid, gids.data(), &count) < 0) {
    gids.resize(static_cast<std::size_t>(count));
    getgrouplist(name.c_str(), pw.pw_gid, gids.data(), &count);
  }
  gids.resize(static_cast<std::size_t>(count));
  a.groups.assign(gids.begin(), gids.end());
  return a;
}

InspectedFile open_and_inspect(const std::string& path, const Account* account, security::Use use) {
  InspectedFile result;
  FileState& f = result.state;
  f.path = path;
  auto opened = security::open_trusted_file(path, use);
  if (!opened) {
    // Whether the path's own entry is a link, for the report: only asked when the file could not be opened.
    if (auto entry = security::open_trusted_entry(path); entry && entry.value().facts)
      f.is_link = entry.value().facts->kind == security::ComponentFacts::Kind::kSymlink;
    const auto& refused = opened.error();
    if (refused.reason == security::Refusal::kNotFound) {
      f.error = f.is_link ? "the link points nowhere" : "no such file";
      if (account) f.readable_by_service = false;
      return result;
    }
    // Something is there, but nothing about it is believed: readable_by_service stays unknown.
    f.exists = true;
    f.owner = refused.owner;
    f.group = refused.group;
    if (refused.component == refused.path || refused.component.empty()) f.mode = refused.mode;
    f.error = refused.message();
    result.refused = refused;
    return result;
  }
  auto& file = opened.value();
  struct stat st {};
  if (fstat(security::fd_of(file.handle), &st) != 0) {
    f.error = std::string("fstat: ") + std::strerror(errno);
    return result;
  }
  f.exists = true;
  f.is_link = file.through_link;
  f.owner = file.facts.owner;
  f.group = file.facts.group;
  f.mode = static_cast<std::uint32_t>(st.st_mode & 07777);
  if (account)
    f.readable_by_service =
        folders_searchable(file.path, *account) && may(st, *account, S_IRUSR, S_IRGRP, S_IROTH);
  result.file = std::move(file);
  return result;
}

FileState inspect_file(const std::string& path, const Account* account) {
  return open_and_inspect(path, account, security::Use::kChange).state;
}

RefusedPath refused_path(const char* role, const std::string& path, const security::Refused& refused) {
  return RefusedPath{role,
                     path,
                     std::string(security::refusal_id(refused.reason)),
                     refused.component,
                     refused.owner,
                     refused.group,
                     refused.mode,
                     refused.detail};
}

}  // namespace rdpmend::inspect::linux_host
