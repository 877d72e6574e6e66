#pragma once
// A plan: the actions one pass considered, in order, each to run now, awaiting approval, or left out with
// the reason. Plain data: the planner makes it (planner.h), the executor runs it (execute/), the journal
// keeps it (journal/plans.h), so it depends on nothing but the policy's Mode.

#include <optional>
#include <string>
#include <vector>

#include "plan/skip_reason.h"
#include "policy.h"  // policies/: the effective policy

namespace rdpmend::plan {

struct PlannedAction {
  std::string action;
  std::string target;
  std::vector<std::string> findings;  // what it fixes
  bool run = false;
  std::optional<SkipReason> skip;  // why it does not run now; unset when it runs
  std::string reason;              // the same for people, with the specifics (counts, settings)
  // A restart planned for changes an earlier pass made (a held-back restart, or a change that crash
  // recovery finished): it has something to restart for even when this pass changes nothing.
  bool serves_earlier_change = false;

  // Mode Approve: it would run once approved.
  bool awaits_approval() const { return skip == SkipReason::kAwaitingApproval; }
  // Chosen by the plan: it runs, or it will once approved. The others are left out.
  bool chosen() const { return run || awaits_approval(); }
};

struct Plan {
  policy::Mode mode = policy::Mode::kObserve;
  std::vector<PlannedAction> actions;
};

}  // namespace rdpmend::plan
