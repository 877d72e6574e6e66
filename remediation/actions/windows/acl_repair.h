#pragma once
// The shared steps of the two ACL actions (repair-machinekeys-acl, repair-rdp-key-acl): one object, one
// documented SDDL. check opens it for writing without following a link; backup saves its owner, group and
// DACL as SDDL with its path; apply writes the documented SDDL unless the object already means the same
// (idempotent); rollback checks that the saved path is one this action may touch, then writes the saved SDDL
// back exactly. The backup is treated as hostile input: a damaged one is refused, never half-applied.

#include <string>

#include "actions/action.h"
#include "actions/windows/file_acl.h"
#include "actions/windows/windows_actions.h"

namespace rdpmend::actions::windows {

class AclRepair : public Action {
 public:
  Status check(const inspect::HostState& state) override;
  Result<Backup> backup(const inspect::HostState& state) override;
  Status apply(const inspect::HostState& state, const Backup& backup) override;
  Status rollback(const Backup& backup) override;

 protected:
  AclRepair(WindowsActionConfig config, ObjectKind kind, std::string documented_sddl)
      : config_(std::move(config)), kind_(kind), documented_sddl_(std::move(documented_sddl)) {}
  // The object to repair for this state, validated; or why there is none.
  virtual Result<std::wstring> object_path(const inspect::HostState& state) const = 0;
  // What the inspected state already says is refused (a link), before any handle is opened.
  virtual Status refuse_from_state(const inspect::HostState&) const { return Ok{}; }
  // Whether a path read from a backup is one this action repairs (any other is refused).
  virtual Status accept_backup_path(const std::wstring& path) const = 0;

  // The machine key folders (CryptoAPI MachineKeys, CNG Keys): the configured ones, which the tests point at
  // their own, else where this Windows keeps them.
  Result<std::wstring> machine_keys() const;
  Result<std::wstring> cng_machine_keys() const;

 private:
  WindowsActionConfig config_;
  ObjectKind kind_;
  std::string documented_sddl_;
};

// The differences the inspection found between an ACL and its default, "a; b", for a verify error.
std::string joined_differences(const inspect::AclCheck& acl);

}  // namespace rdpmend::actions::windows
