#pragma once
// The executor: runs planned actions so that no step is ever lost. Each action goes
//   intent (durable) -> privilege and precondition check -> backup (durable) -> apply ->
//   verify against a fresh inspection (with the self-probe) -> outcome, or rollback from the backup.
// Outcomes: succeeded, failed, rolled-back, skipped (with the reason), precondition-failed.
// recover_in_flight() runs first at every start: an action a crash left half done is verified and
// finished, or rolled back, before anything else changes. A dry run does the check and the backup (both
// read only) and records nothing.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actions/action.h"
#include "common/result.h"
#include "execute/crash_point.h"
#include "inspect/host_state.h"
#include "journal/journal.h"
#include "plan/planner.h"

namespace rdpmend::execute {

struct ActionReport {
  std::string action;
  std::string target;
  std::optional<std::int64_t> action_row;  // the journal row; unset on a dry run
  // The journal's state it ended in: succeeded, failed, rolled-back, skipped, precondition-failed, or on a
  // dry run would-apply (check and backup passed, the change would be made).
  journal::ActionState outcome = journal::ActionState::kSkipped;
  std::optional<plan::SkipReason> skip;  // why it was skipped (outcome skipped)
  std::string detail;                    // the reason (skipped) or the error
  bool duplicate = false;                // the same trigger already ran this action: nothing was done again
  // A change that succeeded and that the listener serves only after a restart of its service (the planned
  // restart, or a held-back one the journal keeps until it runs).
  bool waits_for_restart = false;
};

struct ExecutorContext {
  journal::Journal* journal = nullptr;  // required unless dry_run
  const actions::ActionSet* actions = nullptr;
  // Inspects the host again, self-probe included: verification reads only this, never the old state.
  std::function<inspect::HostState()> reinspect;
  bool privileged = false;  // root / Administrator
  bool dry_run = false;
  std::optional<CrashPoint> crash_at;
  // What the crash hook does; the default aborts the process (tests of the executor keep it).
  std::function<void()> crash = [] { std::abort(); };
};

struct ExecuteRequest {
  const plan::Plan* plan = nullptr;
  const inspect::HostState* state = nullptr;  // the inspection the plan was made from
  std::optional<std::int64_t> plan_id;
  // Names what caused this run: the same trigger, action and target run once ("plan:12", an event's
  // channel and record id). The executor appends ":<action>:<target>".
  std::string trigger;
};

struct ExecuteResult {
  std::vector<ActionReport> reports;  // one per planned action, in plan order
  inspect::HostState final_state;     // the last inspection (the starting state when nothing ran)
};

ExecuteResult execute_plan(ExecutorContext& ctx, const ExecuteRequest& request);

// Finishes what a crash left in flight: verified -> succeeded; applied or backed up -> verify now, then
// succeeded or rolled back; intent only -> failed (nothing was changed). An action this host does not
// offer stays in flight and is an error: nothing else may change until someone looks.
Result<std::vector<ActionReport>> recover_in_flight(ExecutorContext& ctx);

// Undoes a finished action from its backup (`rdpmend rollback`): it must have succeeded (or failed after
// its backup) and be reversible. An audit entry is durable before the change; rolling back twice is a no-op
// that says so.
Result<ActionReport> rollback_action(ExecutorContext& ctx, std::int64_t action_row);

}  // namespace rdpmend::execute
