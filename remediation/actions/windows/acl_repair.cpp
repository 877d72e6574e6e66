#include "actions/windows/acl_repair.h"

#include "actions/windows/administrator.h"
#include "inspect/windows/file_security.h"
#include "platform/windows/win_text.h"
#include "security/sddl.h"

namespace rdpmend::actions::windows {
namespace {

using Json = nlohmann::json;

// Same owner, group, protection and ACEs (by meaning, inspect/sddl.h).
bool same_meaning(const std::string& actual, const std::string& expected) {
  auto a = security::parse_sddl(actual);
  auto e = security::parse_sddl(expected);
  return a && e && security::compare_security_descriptors(a.value(), e.value()).empty();
}

}  // namespace

std::string joined_differences(const inspect::AclCheck& acl) {
  std::string joined;
  for (const auto& d : acl.differences) joined += (joined.empty() ? "" : "; ") + d;
  return joined;
}

Result<std::wstring> AclRepair::machine_keys() const {
  if (!config_.machine_keys.empty()) return config_.machine_keys;
  return inspect::windows::rsa_machine_keys_folder();
}

Result<std::wstring> AclRepair::cng_machine_keys() const {
  if (!config_.cng_machine_keys.empty()) return config_.cng_machine_keys;
  return inspect::windows::cng_machine_keys_folder();
}

Status AclRepair::check(const inspect::HostState& state) {
  if (auto admin = require_administrator(config_, id()); !admin) return admin;
  if (auto refused = refuse_from_state(state); !refused) return refused;
  auto path = object_path(state);
  if (!path) return path.error();
  auto object = open_object(path.value(), kind_, /*for_writing=*/true, std::string(id()));
  if (!object) return object.error();
  return Ok{};
}

Result<Backup> AclRepair::backup(const inspect::HostState& state) {
  const std::string what = "back up the permissions (" + std::string(id()) + ")";
  auto path = object_path(state);
  if (!path) return path.error();
  auto object = open_object(path.value(), kind_, /*for_writing=*/false, what);
  if (!object) return object.error();
  auto sddl = read_sddl(object.value().get(), what, win::narrow(path.value()));
  if (!sddl) return sddl.error();
  return Backup{Json{{"path", win::narrow(path.value())}, {"sddl", sddl.value()}}};
}

Status AclRepair::apply(const inspect::HostState& state, const Backup& backup) {
  const std::string what = "set the documented permissions (" + std::string(id()) + ")";
  auto path = object_path(state);
  if (!path) return path.error();
  const std::string name = win::narrow(path.value());
  const Json& b = backup.data;
  if (!b.is_object() || !b.contains("path") || !b["path"].is_string() ||
      !same_path(win::widen(b["path"].get<std::string>()), path.value()))
    return Error{what, name, "refused: the backup is of another object"};
  auto object = open_object(path.value(), kind_, /*for_writing=*/true, what);
  if (!object) return object.error();
  auto current = read_sddl(object.value().get(), what, name);
  if (!current) return current.error();
  if (same_meaning(current.value(), documented_sddl_)) return Ok{};  // already right: nothing written
  return write_sddl(object.value().get(), documented_sddl_, what, name);
}

Status AclRepair::rollback(const Backup& backup) {
  const std::string what = "restore the saved permissions (" + std::string(id()) + ")";
  const Json& b = backup.data;
  if (!b.is_object() || !b.contains("path") || !b.contains("sddl") || !b["path"].is_string() ||
      !b["sddl"].is_string())
    return Error{what, "", "the backup is damaged: expected {\"path\": string, \"sddl\": string}"};
  const std::wstring path = win::widen(b["path"].get<std::string>());
  const std::string name = b["path"].get<std::string>();
  if (auto accepted = accept_backup_path(path); !accepted) return accepted;
  auto object = open_object(path, kind_, /*for_writing=*/true, what);
  if (!object) return object.error();
  return write_sddl(object.value().get(), b["sddl"].get<std::string>(), what, name);
}

}  // namespace rdpmend::actions::windows
