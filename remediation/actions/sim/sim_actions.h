#pragma once
// The simulated host's actions: every action id changes the shared snapshot the way the real action
// changes a host, with the same preconditions (no change through a link, self-signed certificates
// only), so whole scenarios (plan, apply, verify, roll back, crash recovery) run without an OS.

#include <functional>
#include <memory>

#include "actions/action.h"

namespace rdpmend::actions {

// Test hooks: make the next apply of `action_id` fail, or make it "succeed" without fixing anything so
// that verify fails and the executor must roll back.
struct SimFaults {
  std::string fail_apply;
  std::string apply_without_effect;
  // Windows: SessionEnv's restart makes no new certificate (TermService makes it when it restarts).
  bool session_env_makes_no_certificate = false;
};

// `changed` is called after every change to the snapshot (apply and rollback), e.g. to write it back to the
// snapshot file so that the next command, or the next start after a crash, sees it like a real host's state.
using SimChanged = std::function<void(const inspect::HostState&)>;

ActionSet make_sim_actions(std::shared_ptr<inspect::HostState> state,
                           std::shared_ptr<SimFaults> faults = nullptr, SimChanged changed = nullptr);

}  // namespace rdpmend::actions
