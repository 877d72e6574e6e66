#pragma once
// The planner: findings -> the actions that will run now, in order, and for every action left out the
// reason (policy mode, not allowed, circuit breaker, cooldown, maintenance window, active sessions, rate
// limit, awaiting approval). A pure function: the journal's answers come in through PlanHistory.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actions/action.h"
#include "diagnosis/diagnosis.h"
#include "inspect/host_state.h"
#include "plan/plan.h"
#include "policy.h"  // policies/: the effective policy

namespace rdpmend::plan {

using TimePoint = std::chrono::system_clock::time_point;

// A restart that changes made before this pass still need (the journal's pending hold, or a change crash
// recovery finished): the planner plans it again, under the same guards, until it runs.
struct EarlierRestart {
  std::string action;
  std::string target;
  std::vector<std::string> findings;
};

// What the journal knows (the executor fills these from journal queries).
struct PlanHistory {
  int actions_last_hour = 0;
  std::function<std::optional<TimePoint>(const std::string& action, const std::string& target)> last_change;
  // How often a finding came back after a successful fix, within the breaker window.
  std::function<int(const std::string& finding)> recurrences_after_success;
  std::vector<EarlierRestart> earlier_restarts;
};

struct PlanInput {
  const diagnosis::Diagnosis& diagnosis;
  const inspect::HostState& state;
  const actions::ActionSet& actions;
  const policy::Policy& policy;
  PlanHistory history;
  TimePoint now;
  int local_weekday = 0;  // 0 = Sunday, for the maintenance window
  int local_minute = 0;   // minutes after local midnight
  // The sessions a restart would end come from state.sessions: unknown is treated as "there may be some".
};

// What an administrator narrowed or allowed by hand.
struct PlanScope {
  std::vector<std::string> only;  // only these action ids may run (`fix --only`); empty: all
  bool approved = false;          // `approve PLAN_ID`: Mode Approve runs the plan like Auto
};

Plan make_plan(const PlanInput& input, const PlanScope& scope = {});

// The two guards a held-back restart waits for, as the planner applies them; the agent asks them too, to
// run the pass as soon as they let it. The session guard holds a restart back while any session runs (a
// disconnected one too) or their number is unknown, unless AllowServiceRestartWithActiveSessions.
bool sessions_hold_restart(const policy::Policy& policy,
                           const std::optional<inspect::SessionCounts>& sessions);
bool outside_maintenance_window(const policy::Policy& policy, int local_weekday, int local_minute);

}  // namespace rdpmend::plan
