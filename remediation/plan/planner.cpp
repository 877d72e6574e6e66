#include "plan/planner.h"

#include <algorithm>

#include "policy_table.h"

namespace rdpmend::plan {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

// The diagnosis's actions, then the earlier restarts it does not plan already (restarts come last in the
// catalog's order) and that none of its actions makes needless (a service started needs no restart).
std::vector<std::string> actions_to_plan(const PlanInput& in) {
  std::vector<std::string> ids = in.diagnosis.actions;
  for (const auto& earlier : in.history.earlier_restarts) {
    // Only a restart comes back this way: a journal row naming any other action plans nothing.
    const auto* kind = in.diagnosis.catalog ? in.diagnosis.catalog->action(earlier.action) : nullptr;
    if (!kind || kind->kind != diagnosis::ActionKind::kServiceRestart) continue;
    bool needless = contains(ids, earlier.action);
    for (const auto& id : in.diagnosis.actions) {
      const auto* definition = in.diagnosis.catalog ? in.diagnosis.catalog->action(id) : nullptr;
      if (definition && contains(definition->subsumes, earlier.action)) needless = true;
    }
    if (!needless) ids.push_back(earlier.action);
  }
  return ids;
}

// Names the switch, and for a fix left to people by default the exact commands its findings give.
std::string not_allowed_reason(const PlanInput& in, const std::string& id,
                               const std::vector<std::string>& findings) {
  std::string reason = "policy does not allow " + id;
  if (const auto* allow = policy::find_allow_switch(id))
    reason += " (" + std::string(allow->name) + " is off)";
  std::vector<std::string> commands;
  for (const auto& f : in.diagnosis.findings)
    if (contains(findings, f.rule->id))
      for (const auto& command : f.by_hand)
        if (!contains(commands, command)) commands.push_back(command);
  for (std::size_t i = 0; i < commands.size(); ++i) reason += (i == 0 ? "; by hand: " : "; ") + commands[i];
  return reason;
}

}  // namespace

bool sessions_hold_restart(const policy::Policy& policy,
                           const std::optional<inspect::SessionCounts>& sessions) {
  return !policy.allow_service_restart_with_active_sessions && (!sessions || sessions->total() > 0);
}

bool outside_maintenance_window(const policy::Policy& policy, int local_weekday, int local_minute) {
  return !policy.maintenance_window.always() &&
         !policy.maintenance_window.contains(local_weekday, local_minute);
}

Plan make_plan(const PlanInput& in, const PlanScope& scope) {
  Plan plan;
  plan.mode = in.policy.mode;
  int runnable = 0;
  bool earlier_change = false;
  for (const auto& id : actions_to_plan(in)) {
    PlannedAction p;
    p.action = id;
    for (const auto& f : in.diagnosis.findings)
      if (contains(f.rule->actions, id)) p.findings.push_back(f.rule->id);
    actions::Action* action = in.actions.find(id);
    const auto* definition = in.diagnosis.catalog ? in.diagnosis.catalog->action(id) : nullptr;
    if (action) p.target = action->target(in.state);
    for (const auto& earlier : in.history.earlier_restarts)
      if (earlier.action == id && earlier.target == p.target) {
        p.serves_earlier_change = true;
        if (p.findings.empty()) p.findings = earlier.findings;
      }

    auto skip = [&](SkipReason why, std::string reason) {
      p.skip = why;
      p.reason = std::move(reason);
      plan.actions.push_back(p);
    };
    if (!action) {
      skip(SkipReason::kNotAvailable, "not available on this host");
      continue;
    }
    if (!scope.only.empty() && std::find(scope.only.begin(), scope.only.end(), id) == scope.only.end()) {
      skip(SkipReason::kNotSelected, "not selected (--only)");
      continue;
    }
    if (in.policy.mode == policy::Mode::kOff) {
      skip(SkipReason::kModeOff, "policy Mode is Off");
      continue;
    }
    if (in.policy.mode == policy::Mode::kObserve) {
      skip(SkipReason::kModeObserve, "policy Mode is Observe: findings are reported, nothing is changed");
      continue;
    }
    if (!in.policy.allows(id)) {
      skip(SkipReason::kNotAllowed, not_allowed_reason(in, id, p.findings));
      continue;
    }
    std::string breaker;
    if (in.history.recurrences_after_success)
      for (const auto& f : p.findings) {
        int n = in.history.recurrences_after_success(f);
        if (n >= in.policy.breaker_recurrences)
          breaker = "circuit breaker: " + f + " came back " + std::to_string(n) + " times within " +
                    std::to_string(in.policy.breaker_window_hours) +
                    " h after a fix; an administrator must look";
      }
    if (!breaker.empty()) {
      skip(SkipReason::kBreakerOpen, breaker);
      continue;
    }
    if (in.history.last_change) {
      if (auto last = in.history.last_change(id, p.target)) {
        auto ago = std::chrono::duration_cast<std::chrono::minutes>(in.now - *last).count();
        if (ago < in.policy.cooldown_minutes) {
          skip(SkipReason::kCooldown, "cooldown: " + id + " on " + p.target + " last changed " +
                                          std::to_string(ago) + " min ago (CooldownMinutes " +
                                          std::to_string(in.policy.cooldown_minutes) + ")");
          continue;
        }
      }
    }
    if (outside_maintenance_window(in.policy, in.local_weekday, in.local_minute)) {
      skip(SkipReason::kMaintenanceWindow, "outside the maintenance window");
      continue;
    }
    if (definition && definition->kind == diagnosis::ActionKind::kServiceRestart) {
      if (!earlier_change && !p.serves_earlier_change) {
        skip(SkipReason::kNothingToRestart, "nothing to restart for: no change before it runs now");
        continue;
      }
      // Disconnected sessions count too: on Windows a TermService restart ends them, and on xrdp the
      // restart command is the administrator's (it may stop sesman's sessions with the daemon).
      const auto& sessions = in.state.sessions;
      if (sessions_hold_restart(in.policy, sessions)) {
        skip(SkipReason::kActiveSessions,
             sessions ? std::to_string(sessions->active) + " active and " +
                            std::to_string(sessions->disconnected) +
                            " disconnected sessions (AllowServiceRestartWithActiveSessions is off)"
                      : "sessions unknown (AllowServiceRestartWithActiveSessions is off)");
        continue;
      }
    }
    if (in.history.actions_last_hour + runnable >= in.policy.max_actions_per_hour) {
      skip(SkipReason::kRateLimit,
           "rate limit: MaxActionsPerHour " + std::to_string(in.policy.max_actions_per_hour) + " reached");
      continue;
    }
    if (in.policy.mode == policy::Mode::kApprove && !scope.approved) {
      ++runnable;  // counts against the rate limit as if approved, so the approved plan fits it
      earlier_change = true;
      skip(SkipReason::kAwaitingApproval, "awaits approval (Mode Approve)");
      continue;
    }
    p.run = true;
    ++runnable;
    earlier_change = true;
    plan.actions.push_back(p);
  }
  return plan;
}

}  // namespace rdpmend::plan
