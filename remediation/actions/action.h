#pragma once
// An action: one change to the host, with everything needed to do it safely. The executor calls, in
// order: check (privilege and preconditions, no change), backup (the prior state, recorded before the
// change), apply, then verify against a fresh inspection, and rollback from the backup when verify fails
// or a crash left the action in flight. Every step is idempotent: applying twice changes nothing the
// second time; rolling back twice restores the same state.

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::actions {

// The prior state an action needs to go back: opaque to the executor, stored in the journal as JSON.
struct Backup {
  nlohmann::json data;
};

class Action {
 public:
  virtual ~Action() = default;
  virtual std::string_view id() const = 0;
  // What this action changes, e.g. the key file's path; part of the idempotency key and cooldowns.
  virtual std::string target(const inspect::HostState& state) const = 0;

  virtual Status check(const inspect::HostState& state) = 0;
  virtual Result<Backup> backup(const inspect::HostState& state) = 0;
  virtual Status apply(const inspect::HostState& state, const Backup& backup) = 0;
  virtual Status verify(const inspect::HostState& after) = 0;
  // False when the change cannot be undone (a service restart): nothing to roll back.
  virtual bool reversible() const { return true; }
  // After this action succeeded: whether the listener already serves the change, so that a restart of the
  // RDP service planned after it is not needed for it (Windows: SessionEnv made the new certificate and
  // TermService took it, docs/SESSIONS.md). False: a restart is needed for the change to be served.
  virtual bool served_without_restart() const { return false; }
  virtual Status rollback(const Backup& backup) = 0;
};

// Whether the inspection refused a file this action goes through (HostState::refused_paths, by role): an
// action checks it itself, so that not even `fix --only` changes anything through it (docs/SECURITY.md).
Status not_refused(std::string_view action, const inspect::HostState& state,
                   std::initializer_list<const char*> roles);

// The actions a host offers, by id.
class ActionSet {
 public:
  void add(std::unique_ptr<Action> action);
  Action* find(std::string_view id) const;
  std::vector<std::string> ids() const;

 private:
  std::vector<std::unique_ptr<Action>> actions_;
};

}  // namespace rdpmend::actions
