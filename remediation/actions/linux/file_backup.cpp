#include "actions/linux/file_backup.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "security/linux/posix_files.h"
#include "security/trusted_file.h"
#include "util/encoding.h"

namespace rdpmend::actions {
namespace {

using Json = nlohmann::json;

Status folder_unchanged(const Json& saved, const security::TrustedFolder& folder, const std::string& path) {
  // Backups from before the folder was recorded carry no identity: the trust rule alone applies.
  if (!saved.contains("folder_device")) return Ok{};
  security::FileIdentity recorded{saved.at("folder_device").get<std::uint64_t>(),
                                  saved.at("folder_object").get<std::uint64_t>()};
  if (recorded != folder.identity)
    return Error{"restore file", path,
                 "refused (changed): its folder is not the one the backup was taken from (now " +
                     folder.path + "); nothing was written"};
  return Ok{};
}

}  // namespace

Result<Json> save_entry(const std::string& path) {
  auto entry = security::open_trusted_entry(path);
  if (!entry) return entry.error().to_error("back up file");
  const auto& e = entry.value();
  Json j{{"path", path},
         {"folder_device", e.folder.identity.device},
         {"folder_object", e.folder.identity.object}};
  if (!e.facts) {
    j["kind"] = "absent";
    return j;
  }
  struct stat st {};
  if (fstatat(security::fd_of(e.folder.handle), e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return Error{"back up file", path, "it changed while it was backed up"};
  j["uid"] = st.st_uid;
  j["gid"] = st.st_gid;
  j["mode"] = st.st_mode & 07777;
  if (e.facts->kind == security::ComponentFacts::Kind::kSymlink) {
    auto target = security::read_symlink(e.folder, e.name);
    if (!target) return target.error();
    j["kind"] = "symlink";
    j["target"] = target.value();
    return j;
  }
  auto file = security::open_trusted_file(path, security::Use::kChange);
  if (!file) return file.error().to_error("back up file");
  auto bytes = security::read_all(file.value());
  if (!bytes) return bytes.error().to_error("back up file");
  j["kind"] = "file";
  const std::string& text = bytes.value();
  j["content_hex"] = util::to_hex(std::vector<std::uint8_t>(text.begin(), text.end()));
  return j;
}

Status restore_entries(const std::vector<Json>& saved) {
  try {
    std::vector<security::TrustedEntry> entries;
    for (const auto& s : saved) {
      const std::string path = s.at("path").get<std::string>();
      auto entry = security::open_trusted_entry(path);
      if (!entry) return entry.error().to_error("restore file");
      if (auto same = folder_unchanged(s, entry.value().folder, path); !same) return same;
      entries.push_back(std::move(entry).value());
    }
    for (std::size_t i = 0; i < saved.size(); ++i) {
      const Json& s = saved[i];
      const auto& e = entries[i];
      const std::string kind = s.at("kind").get<std::string>();
      Status done = Ok{};
      if (kind == "absent") {
        done = security::remove_entry(e.folder, e.name);
      } else if (kind == "symlink") {
        done = security::replace_with_symlink(e.folder, e.name, s.at("target").get<std::string>(),
                                              s.at("uid").get<unsigned>(), s.at("gid").get<unsigned>());
      } else {
        auto bytes = util::from_hex(s.at("content_hex").get<std::string>());
        if (!bytes) return Error{"restore file", s.at("path").get<std::string>(), "the backup is damaged"};
        done = security::replace_file(e.folder, e.name, std::string(bytes->begin(), bytes->end()),
                                      s.at("uid").get<unsigned>(), s.at("gid").get<unsigned>(),
                                      s.at("mode").get<unsigned>());
      }
      if (!done) return done;
    }
    return Ok{};
  } catch (const Json::exception& e) {
    return Error{"restore file", "", std::string("the backup is damaged: ") + e.what()};
  }
}

}  // namespace rdpmend::actions
