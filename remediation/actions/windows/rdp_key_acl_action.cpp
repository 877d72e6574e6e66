// repair-rdp-key-acl: the listener's private key file (MachineKeys\f686aace..._<MachineGuid> for the
// self-signed certificate, or the file the certificate inspector found) to kRdpKeyFileSddl: SYSTEM and
// Administrators full control, NETWORK SERVICE read, owner SYSTEM, protected, nobody else. The path comes
// from the inspected state and is accepted only when it names a file directly inside the machine key folders
// (CryptoAPI MachineKeys, CNG Keys) with a key file's name; a link or a file with other names is refused.
#include "actions/windows/acl_repair.h"
#include "platform/windows/win_text.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;

// Key file names are hex, '_' and a GUID ('-'): nothing that could climb out of the folder.
bool key_file_name(const std::wstring& name) {
  if (name.empty() || name.size() > 200) return false;
  for (wchar_t c : name) {
    const bool ok = (c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z') ||
                    c == L'_' || c == L'-';
    if (!ok) return false;
  }
  return true;
}

class RdpKeyAcl final : public windows::AclRepair {
 public:
  explicit RdpKeyAcl(WindowsActionConfig config)
      : AclRepair(std::move(config), windows::ObjectKind::kFile, kRdpKeyFileSddl) {}

  std::string_view id() const override { return ids::action::kRepairRdpKeyAcl; }
  std::string target(const HostState& state) const override { return inspected_path(state); }

  Status refuse_from_state(const HostState& state) const override {
    const std::string path = inspected_path(state);
    if (path.empty()) return Error{std::string(id()), "", "the inspection found no RDP key file to repair"};
    if (state.certificate.key.is_link || (state.rdp_key_acl && state.rdp_key_acl->file.is_link))
      return Error{std::string(id()), path,
                   "refused: the key file is a reparse point (symbolic link); permissions are never changed "
                   "through a link"};
    return Ok{};
  }

  Status verify(const HostState& after) override {
    const std::string what = "verify " + std::string(id());
    if (!after.rdp_key_acl) return Error{what, inspected_path(after), "the RDP key file was not inspected"};
    const auto& acl = *after.rdp_key_acl;
    if (!acl.file.error.empty()) return Error{what, acl.file.path, acl.file.error};
    if (acl.file.readable_by_service != true)
      return Error{what, acl.file.path, "NETWORK SERVICE still cannot read the key"};
    if (acl.matches_default != true)
      return Error{what, acl.file.path,
                   "the key file's permissions are still not right: " + windows::joined_differences(acl)};
    return Ok{};
  }

 protected:
  Result<std::wstring> object_path(const HostState& state) const override {
    const std::wstring path = win::widen(inspected_path(state));
    if (auto accepted = accept(path, std::string(id())); !accepted) return accepted.error();
    return path;
  }

  Status accept_backup_path(const std::wstring& path) const override {
    return accept(path, "restore the saved permissions (" + std::string(id()) + ")");
  }

 private:
  static std::string inspected_path(const HostState& state) {
    if (state.rdp_key_acl && !state.rdp_key_acl->file.path.empty()) return state.rdp_key_acl->file.path;
    return state.certificate.key.path;
  }

  Status accept(const std::wstring& path, const std::string& what) const {
    const std::string name = win::narrow(path);
    const auto slash = path.find_last_of(L"\\/");
    if (path.empty() || slash == std::wstring::npos) return Error{what, name, "refused: not a full path"};
    const std::wstring folder = path.substr(0, slash);
    if (!key_file_name(path.substr(slash + 1)))
      return Error{what, name, "refused: not the name of a machine key file"};
    for (auto dir : {machine_keys(), cng_machine_keys()})
      if (dir && windows::same_path(folder, dir.value())) return Ok{};
    return Error{what, name,
                 "refused: the file is not in the machine key folders (MachineKeys, Crypto\\Keys)"};
  }
};

}  // namespace

std::unique_ptr<Action> make_rdp_key_acl_action(const WindowsActionConfig& config) {
  return std::make_unique<RdpKeyAcl>(config);
}

}  // namespace rdpmend::actions
