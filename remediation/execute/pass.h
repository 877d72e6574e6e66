#pragma once
// One remediation pass, the loop's body: recover what a crash left in flight, inspect the host, diagnose
// (recent events as hints), plan under the policy with the journal's history (the restarts held back
// earlier are planned again), record the plan and the policy it was made under, execute it, and keep the
// restarts it had to hold back as pending (journal/pending_restarts.h). `rdpmend fix` and `approve` run one
// pass; the agent runs one per incident.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actions/action.h"
#include "diagnosis/diagnosis.h"
#include "events/detection.h"
#include "execute/executor.h"
#include "inspect/host.h"
#include "journal/journal.h"
#include "plan/planner.h"
#include "policy.h"

namespace rdpmend::execute {

struct PassInput {
  inspect::Host* host = nullptr;
  const actions::ActionSet* actions = nullptr;
  journal::Journal* journal = nullptr;  // null only on a dry run (the journal could not be read)
  const policy::Policy* policy = nullptr;
  std::vector<events::SymptomReport> symptoms;
};

struct PassOptions {
  bool dry_run = false;
  bool privileged = false;
  std::vector<std::string> only;              // fix --only
  std::optional<std::int64_t> approved_plan;  // approve PLAN_ID: run what that plan proposed
  std::string trigger;                        // empty: "plan:<the new plan's id>"
  std::optional<CrashPoint> crash_at;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

struct PassResult {
  std::vector<ActionReport> recovered;  // actions a crash had left in flight
  inspect::HostState before;
  diagnosis::Diagnosis diagnosis;
  plan::Plan plan;
  std::optional<std::int64_t> plan_id;  // unset on a dry run
  ExecuteResult executed;
  // The restarts still held back after this pass (the journal's pending holds), and what the journal did
  // not take when they were recorded (the pass's changes are made; the hold is then not kept).
  std::vector<journal::RestartHold> held_restarts;
  std::string hold_problem;
};

// Errors: the journal cannot be read or written, an in-flight action cannot be recovered, the approved
// plan does not exist or is not awaiting approval. Nothing is changed after such an error.
Result<PassResult> run_pass(const PassInput& input, const PassOptions& options);

}  // namespace rdpmend::execute
