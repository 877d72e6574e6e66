#include "plan/planner.h"

#include <algorithm>

namespace rdpmend::plan {
Plan make_plan(const PlanInput& in, const PlanScope& scope) {
  Plan plan;
  plan.mode = in.policy.mode;
  int runnable = 0;
  bool earlier_change = false;
  for (const auto& id : in.diagnosis.actions) {
    PlannedAction p;
    p.action = id;
    for (const auto& f : in.diagnosis.findings)
      if (std::find(f.rule->actions.begin(), f.rule->actions.end(), id) != f.rule->actions.end())
        p.findings.push_back(f.rule->id);
    actions::Action* action = in.actions.find(id);
    const auto* definition = in.diagnosis.catalog ? in.diagnosis.catalog->action(id) : nullptr;
    if (action) p.target = action->target(in.state);

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
      skip(SkipReason::kNotAllowed, "policy does not allow " + id);
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
    if (!in.policy.maintenance_window.always() &&
        !in.policy.maintenance_window.contains(in.local_weekday, in.local_minute)) {
      skip(SkipReason::kMaintenanceWindow, "outside the maintenance window");
      continue;
    }
    if (definition && definition->kind == diagnosis::ActionKind::kServiceRestart) {
      if (!earlier_change) {
        skip(SkipReason::kNothingToRestart, "nothing to restart for: no change before it runs now");
        continue;
      }
      // Disconnected sessions count too: on Windows a TermService restart ends them, and on xrdp the
      // restart command is the administrator's (it may stop sesman's sessions with the daemon).
      const auto& sessions = in.state.sessions;
      if (!in.policy.allow_service_restart_with_active_sessions && (!sessions || sessions->total() > 0)) {
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
