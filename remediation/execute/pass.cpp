#include "execute/pass.h"

#include <algorithm>

#include "diagnosis/diagnosis_catalog.h"
#include "util/json_text.h"
#include "util/local_time.h"

namespace rdpmend::execute {
namespace {

using namespace std::chrono_literals;

// The values the plan was made under, stored when they differ from the last snapshot.
std::string policy_snapshot(const policy::Policy& policy) {
  nlohmann::ordered_json j;
  j["mode"] = policy::mode_name(policy.mode);
  for (const auto& v : policy.values) j["values"][std::string(v.setting->name)] = v.value;
  return util::json_text(j);
}

// The journal's answers for the planner. A question the journal cannot answer makes the planner hold back:
// the cooldown counts as running and the breaker as open.
plan::PlanHistory history_from(journal::Journal& journal, const policy::Policy& policy,
                               std::chrono::system_clock::time_point now, std::vector<std::string>& errors) {
  plan::PlanHistory history;
  auto count = journal.actions().count_actions_since(now - 1h);
  if (count)
    history.actions_last_hour = count.value();
  else {
    errors.push_back(count.error().message());
    history.actions_last_hour = policy.max_actions_per_hour;
  }
  history.last_change = [&journal, &errors, now](const std::string& action, const std::string& target) {
    auto last = journal.actions().last_change(action, target);
    if (last) return last.value();
    errors.push_back(last.error().message());
    return std::optional<std::chrono::system_clock::time_point>(now);
  };
  auto since = now - std::chrono::hours(policy.breaker_window_hours);
  history.recurrences_after_success = [&journal, &errors, &policy, since](const std::string& finding) {
    auto n = journal.actions().recurrences_after_success(finding, since);
    if (n) return n.value();
    errors.push_back(n.error().message());
    return policy.breaker_recurrences;
  };
  return history;
}

// A plan with an action awaiting approval is proposed; any other is executed by this pass.
journal::PlanState state_to_save(const plan::Plan& plan) {
  bool awaiting = std::any_of(plan.actions.begin(), plan.actions.end(),
                              [](const plan::PlannedAction& a) { return a.awaits_approval(); });
  return awaiting ? journal::PlanState::kProposed : journal::PlanState::kExecuted;
}

// The same actions chosen for the same targets, in the same order.
bool same_choice(const plan::Plan& a, const plan::Plan& b) {
  auto chosen = [](const plan::Plan& p) {
    std::vector<std::pair<std::string, std::string>> ids;
    for (const auto& action : p.actions)
      if (action.chosen()) ids.emplace_back(action.action, action.target);
    return ids;
  };
  return chosen(a) == chosen(b);
}

Status record_findings(journal::Journal& journal, const inspect::HostState& state,
                       const diagnosis::Diagnosis& d, std::chrono::system_clock::time_point now) {
  journal::Observations observations;
  auto document = diagnosis::diagnosis_to_json(d, diagnosis::default_diagnosis_catalog());
  for (std::size_t i = 0; i < d.findings.size(); ++i) {
    const auto& f = d.findings[i];
    observations.findings.push_back({0, state.hostname, f.rule->id, "",
                                     std::string(events::severity_name(f.rule->severity)),
                                     util::json_text(document["findings"][i]), now});
  }
  if (observations.findings.empty()) return Ok{};
  return journal.observations().record(observations);
}

// The restarts changes made before this pass still need: the journal's pending holds, and the restart a
// change that crash recovery finished waits for.
std::vector<plan::EarlierRestart> earlier_restarts(const std::vector<journal::RestartHold>& holds,
                                                   const std::vector<ActionReport>& recovered,
                                                   const actions::ActionSet& actions,
                                                   const inspect::HostState& state) {
  std::vector<plan::EarlierRestart> earlier;
  for (const auto& hold : holds) earlier.push_back({hold.action, hold.target, hold.findings});
  bool recovered_change_waits = std::any_of(recovered.begin(), recovered.end(),
                                            [](const ActionReport& r) { return r.waits_for_restart; });
  if (!recovered_change_waits) return earlier;
  for (const auto& definition : diagnosis::default_diagnosis_catalog().actions) {
    if (definition.kind != diagnosis::ActionKind::kServiceRestart) continue;
    const actions::Action* restart = actions.find(definition.id);
    if (!restart) continue;
    const std::string target = restart->target(state);
    bool held = std::any_of(earlier.begin(), earlier.end(), [&](const plan::EarlierRestart& e) {
      return e.action == definition.id && e.target == target;
    });
    if (!held) earlier.push_back({definition.id, target, {}});
  }
  return earlier;
}

// The reasons that pass by themselves (the sessions end, the window opens, time goes by): a needed restart
// they hold back is kept as pending. The others are an administrator's choice and are only shown on it.
bool passes_by_itself(plan::SkipReason reason) {
  return reason == plan::SkipReason::kActiveSessions || reason == plan::SkipReason::kMaintenanceWindow ||
         reason == plan::SkipReason::kCooldown || reason == plan::SkipReason::kRateLimit;
}

// After the plan ran: a restart or a start of a service ends the holds on it; a restart that changes of
// this pass (or recovered ones) need and that was held back is kept as pending, superseding an older hold;
// a hold planned again and still held back gets the reason of this pass.
Status record_restart_holds(journal::Journal& journal, const std::vector<journal::RestartHold>& holds,
                            bool recovered_change_waits, const plan::Plan& plan,
                            std::optional<std::int64_t> plan_id, const ExecuteResult& executed) {
  bool change_waits = recovered_change_waits;
  for (std::size_t i = 0; i < executed.reports.size() && i < plan.actions.size(); ++i) {
    const auto& report = executed.reports[i];
    if (report.waits_for_restart) change_waits = true;
    const auto* definition = diagnosis::default_diagnosis_catalog().action(report.action);
    if (!definition || definition->kind == diagnosis::ActionKind::kChange || report.duplicate) continue;
    const bool ran = report.action_row && (report.outcome == journal::ActionState::kSucceeded ||
                                           report.outcome == journal::ActionState::kFailed ||
                                           report.outcome == journal::ActionState::kRolledBack);
    if (ran) {
      if (auto r = journal.restarts().ran(report.target, *report.action_row); !r) return r;
      continue;
    }
    if (definition->kind != diagnosis::ActionKind::kServiceRestart ||
        report.outcome != journal::ActionState::kSkipped || !report.skip)
      continue;
    const auto held = std::find_if(holds.begin(), holds.end(), [&](const journal::RestartHold& h) {
      return h.action == report.action && h.target == report.target;
    });
    if (change_waits && passes_by_itself(*report.skip)) {
      auto saved = journal.restarts().hold(report.action, report.target, plan.actions[i].findings, plan_id,
                                           *report.skip, report.detail);
      if (!saved) return saved.error();
    } else if (held != holds.end() && *report.skip != plan::SkipReason::kNotSelected) {
      if (auto r = journal.restarts().still_held(held->id, *report.skip, report.detail); !r) return r;
    }
  }
  return Ok{};
}

Status record_policy(journal::Journal& journal, const policy::Policy& policy) {
  auto snapshot = policy_snapshot(policy);
  auto latest = journal.audit().latest_policy_snapshot();
  if (!latest) return latest.error();
  if (latest.value() && *latest.value() == snapshot) return Ok{};
  auto saved = journal.audit().save_policy_snapshot(snapshot);
  if (!saved) return saved.error();
  return Ok{};
}

}  // namespace

Result<PassResult> run_pass(const PassInput& in, const PassOptions& options) {
  const auto& policy = *in.policy;
  ExecutorContext ctx;
  ctx.journal = in.journal;
  ctx.actions = in.actions;
  ctx.reinspect = [&] {
    return inspect::inspect_host(*in.host, std::chrono::system_clock::now(), policy.renew_before_days);
  };
  ctx.privileged = options.privileged;
  ctx.dry_run = options.dry_run;
  ctx.crash_at = options.crash_at;
  if (!options.dry_run && !in.journal)
    return Error{"run a remediation pass", "journal", "no journal: nothing may change without one"};

  PassResult result;
  if (!options.dry_run) {
    auto recovered = recover_in_flight(ctx);
    if (!recovered) return recovered.error();
    result.recovered = std::move(recovered).value();
  }

  result.before = ctx.reinspect();
  result.diagnosis = diagnosis::diagnose(result.before, in.symptoms, diagnosis::default_diagnosis_catalog());

  std::vector<std::string> journal_errors;
  plan::PlanHistory history;
  if (in.journal) history = history_from(*in.journal, policy, options.now, journal_errors);

  std::optional<journal::SavedPlan> approved;
  std::vector<std::string> only = options.only;
  if (options.approved_plan) {
    const std::string what = "approve plan " + std::to_string(*options.approved_plan);
    if (!in.journal) return Error{what, "journal", "no journal"};
    auto found = in.journal->plans().find(*options.approved_plan);
    if (!found) return found.error();
    if (!found.value()) return Error{what, in.journal->path(), "no such plan"};
    if (found.value()->state != journal::PlanState::kProposed)
      return Error{what, in.journal->path(),
                   "it is " + std::string(journal::to_string(found.value()->state)) +
                       "; only a proposed plan awaits approval"};
    approved = *found.value();
    only.clear();
    for (const auto& a : approved->plan.actions)
      if (a.chosen()) only.push_back(a.action);
    if (only.empty()) return Error{what, in.journal->path(), "the plan has no actions"};
  }

  std::vector<journal::RestartHold> holds;
  if (in.journal) {
    auto pending = in.journal->restarts().pending();
    if (!pending) return pending.error();
    holds = std::move(pending).value();
  }
  history.earlier_restarts = earlier_restarts(holds, result.recovered, *in.actions, result.before);
  auto local = util::local_time(options.now);
  plan::PlanInput plan_input{result.diagnosis, result.before, *in.actions,   policy,
                             history,          options.now,   local.weekday, local.minute};
  result.plan = plan::make_plan(plan_input, {only, approved.has_value()});
  if (!journal_errors.empty())
    return Error{"plan from the journal's history", in.journal->path(), journal_errors.front()};

  bool anything_planned = std::any_of(result.plan.actions.begin(), result.plan.actions.end(),
                                      [](const plan::PlannedAction& a) { return a.chosen(); });
  if (!options.dry_run) {
    if (auto r = record_findings(*in.journal, result.before, result.diagnosis, options.now); !r)
      return r.error();
    if (auto r = record_policy(*in.journal, policy); !r) return r.error();
    for (const auto& a : result.plan.actions)
      if (a.skip == plan::SkipReason::kBreakerOpen)
        (void)in.journal->audit().record(
            "breaker-open", a.reason,
            util::json_text(nlohmann::json{{"action", a.action}, {"target", a.target}}));
    if (approved) {
      result.plan_id = approved->id;
      if (auto r = in.journal->plans().set_state(approved->id, journal::PlanState::kApproved); !r)
        return r.error();
    } else if (anything_planned) {
      const journal::PlanState state = state_to_save(result.plan);
      auto pending = in.journal->plans().latest_proposed();
      if (!pending) return pending.error();
      if (state == journal::PlanState::kProposed && pending.value() &&
          same_choice(pending.value()->plan, result.plan)) {
        result.plan_id = pending.value()->id;  // the same proposal again: one plan awaits approval
      } else {
        auto saved = in.journal->plans().save(result.plan, state, options.now);
        if (!saved) return saved.error();
        result.plan_id = saved.value();
      }
    }
  }

  ExecuteRequest request;
  request.plan = &result.plan;
  request.state = &result.before;
  request.plan_id = result.plan_id;
  request.trigger = !options.trigger.empty() ? options.trigger
                    : result.plan_id         ? "plan:" + std::to_string(*result.plan_id)
                                             : std::string("dry-run");
  result.executed = execute_plan(ctx, request);
  if (approved && !options.dry_run) {
    if (auto r = in.journal->plans().set_state(approved->id, journal::PlanState::kExecuted); !r)
      return r.error();
  }
  if (!options.dry_run) {
    bool recovered_change_waits = std::any_of(result.recovered.begin(), result.recovered.end(),
                                              [](const ActionReport& r) { return r.waits_for_restart; });
    auto recorded = record_restart_holds(*in.journal, holds, recovered_change_waits, result.plan,
                                         result.plan_id, result.executed);
    auto pending = in.journal->restarts().pending();
    if (!recorded)
      result.hold_problem = recorded.error().message();
    else if (!pending)
      result.hold_problem = pending.error().message();
    if (pending) result.held_restarts = std::move(pending).value();
  } else {
    result.held_restarts = std::move(holds);
  }
  return result;
}

}  // namespace rdpmend::execute
