#include "inspect/linux/posix_access.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

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

std::string user_name(unsigned uid) {
  std::vector<char> buffer(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found) return pw.pw_name;
  return std::to_string(uid);
}

std::string group_name(unsigned gid) {
  std::vector<char> buffer(16384);
  struct group gr {};
  struct group* found = nullptr;
  if (getgrgid_r(gid, &gr, buffer.data(), buffer.size(), &found) == 0 && found) return gr.gr_name;
  return std::to_string(gid);
}

FileState inspect_file(const std::string& path, const Account* account) {
  FileState f;
  f.path = path;
  struct stat lst {};
  if (lstat(path.c_str(), &lst) != 0) {
    f.error = "cannot stat: " + std::string(std::strerror(errno));
    if (account && errno == ENOENT) f.readable_by_service = false;
    return f;
  }
  f.is_link = S_ISLNK(lst.st_mode);
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    f.error = "the link points nowhere: " + std::string(std::strerror(errno));
    if (account) f.readable_by_service = false;
    return f;
  }
  f.exists = true;
  f.owner = user_name(st.st_uid);
  f.group = group_name(st.st_gid);
  f.mode = static_cast<std::uint32_t>(st.st_mode & 07777);
  if (!account) return f;

  // Every folder on the way to the real file must be searchable, then the file readable.
  std::error_code ec;
  auto real = std::filesystem::canonical(path, ec);
  if (ec) {
    f.error = "cannot resolve: " + ec.message();
    return f;
  }
  bool ok = true;
  for (auto dir = real.parent_path(); ok; dir = dir.parent_path()) {
    struct stat ds {};
    if (stat(dir.c_str(), &ds) != 0 || !may(ds, *account, S_IXUSR, S_IXGRP, S_IXOTH)) ok = false;
    if (dir == dir.root_path()) break;
  }
  f.readable_by_service = ok && may(st, *account, S_IRUSR, S_IRGRP, S_IROTH);
  return f;
}

}  // namespace rdpmend::inspect::linux_host
