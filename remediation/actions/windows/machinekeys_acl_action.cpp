// repair-machinekeys-acl: %ProgramData%\Microsoft\Crypto\RSA\MachineKeys back to its documented default
// O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA) (reference 4.2): owner SYSTEM, protected, this folder only. The
// key files inside keep their own ACLs (nothing propagates, file_acl.h); a junction at MachineKeys is
// refused, and the folder is never renamed (reference 4.4).
#include "actions/windows/acl_repair.h"
#include "inspect/key_access.h"
#include "platform/windows/win_text.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;

class MachineKeysAcl final : public windows::AclRepair {
 public:
  explicit MachineKeysAcl(WindowsActionConfig config)
      : AclRepair(std::move(config), windows::ObjectKind::kFolder,
                  std::string(inspect::kMachineKeysDefaultSddl)) {}

  std::string_view id() const override { return ids::action::kRepairMachinekeysAcl; }
  // The folder's DACL matters to whoever creates or opens a key next (SessionEnv making the certificate's
  // key); the running TermService needs no restart for it.
  bool served_without_restart() const override { return true; }
  std::string target(const HostState&) const override {
    auto folder = machine_keys();
    return folder ? win::narrow(folder.value()) : std::string();
  }

  // What the inspection saw is refused before the handle is even opened (and the handle is judged again).
  Status refuse_from_state(const HostState& state) const override {
    if (state.machinekeys_acl && state.machinekeys_acl->file.is_link)
      return Error{
          std::string(id()), state.machinekeys_acl->file.path,
          "refused: MachineKeys is a reparse point (junction or symbolic link); permissions are never "
          "changed through a link, and the folder is never renamed"};
    return Ok{};
  }

  Status verify(const HostState& after) override {
    const std::string what = "verify " + std::string(id());
    if (!after.machinekeys_acl) return Error{what, target(after), "MachineKeys was not inspected"};
    const auto& acl = *after.machinekeys_acl;
    if (!acl.file.error.empty()) return Error{what, acl.file.path, acl.file.error};
    if (acl.matches_default != true) {
      const std::string differences = windows::joined_differences(acl);
      return Error{what, acl.file.path,
                   "the folder still differs from the documented default" +
                       (differences.empty() ? std::string() : ": " + differences)};
    }
    return Ok{};
  }

 protected:
  Result<std::wstring> object_path(const HostState&) const override { return machine_keys(); }

  Status accept_backup_path(const std::wstring& path) const override {
    auto folder = machine_keys();
    if (!folder) return folder.error();
    if (!windows::same_path(path, folder.value()))
      return Error{"restore the saved permissions (" + std::string(id()) + ")", win::narrow(path),
                   "refused: the backup names another folder than " + win::narrow(folder.value())};
    return Ok{};
  }
};

}  // namespace

std::unique_ptr<Action> make_machinekeys_acl_action(const WindowsActionConfig& config) {
  return std::make_unique<MachineKeysAcl>(config);
}

}  // namespace rdpmend::actions
