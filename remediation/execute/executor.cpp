#include "execute/executor.h"

#include "diagnosis/diagnosis_catalog.h"
#include "inspect/host_state_json.h"
#include "util/json_text.h"

namespace rdpmend::execute {
namespace {

using journal::ActionState;

std::string state_json(const inspect::HostState& state) {
  return util::json_text(inspect::host_state_to_json(state));
}

class Runner {
 public:
  Runner(ExecutorContext& ctx) : ctx_(ctx) {}

  void maybe_crash(Step step, const std::string& action) {
    if (ctx_.crash_at && ctx_.crash_at->step == step &&
        (ctx_.crash_at->action.empty() || ctx_.crash_at->action == action))
      ctx_.crash();
  }

  enum class DetailIs { kError, kReason };

  // Records the report's outcome with its detail as the error or the reason; a journal that cannot record it
  // is reported with the action's own result.
  ActionReport finish(ActionReport report, DetailIs detail_is) {
    if (report.action_row) {
      std::string error = detail_is == DetailIs::kError ? report.detail : std::string();
      std::string reason = detail_is == DetailIs::kReason ? report.detail : std::string();
      if (auto recorded =
              ctx_.journal->actions().record_outcome(*report.action_row, report.outcome, error, reason);
          !recorded)
        report.detail += (report.detail.empty() ? "" : "; ") + ("journal: " + recorded.error().message());
    }
    return report;
  }

  // After apply (or found applied after a crash): verify against a fresh inspection, then succeed or roll
  // back.
  // `record_applied_first`: recovery of an action whose apply the journal never heard of; it is recorded as
  // applied only once the change verifies.
  ActionReport verify_or_roll_back(actions::Action& action, ActionReport report,
                                   const actions::Backup& backup, inspect::HostState& current,
                                   const std::string& context, bool record_applied_first = false) {
    current = ctx_.reinspect();
    auto verified = action.verify(current);
    if (verified && record_applied_first) {
      if (auto r = ctx_.journal->actions().record_applied(*report.action_row); !r) {
        report.outcome = ActionState::kFailed;
        report.detail = "verified, but the journal could not record it: " + r.error().message();
        return report;
      }
    }
    if (verified) {
      if (auto r = ctx_.journal->actions().record_verified(*report.action_row, state_json(current)); !r) {
        report.outcome = ActionState::kFailed;
        report.detail = "verified, but the journal could not record it: " + r.error().message();
        return report;
      }
      maybe_crash(Step::kAfterVerify, report.action);
      report.outcome = ActionState::kSucceeded;
      report.detail = context;
      return finish(std::move(report), DetailIs::kReason);
    }
    std::string why =
        context + (context.empty() ? "" : ": ") + "verification failed: " + verified.error().message();
    return roll_back(action, std::move(report), backup, current, why);
  }

  ActionReport roll_back(actions::Action& action, ActionReport report, const actions::Backup& backup,
                         inspect::HostState& current, const std::string& why) {
    if (!action.reversible()) {
      report.outcome = ActionState::kFailed;
      report.detail = why + " (not reversible: nothing to roll back)";
      return finish(std::move(report), DetailIs::kError);
    }
    auto rolled = action.rollback(backup);
    current = ctx_.reinspect();
    if (!rolled) {
      report.outcome = ActionState::kFailed;
      report.detail = why + "; rollback failed: " + rolled.error().message();
      return finish(std::move(report), DetailIs::kError);
    }
    report.outcome = ActionState::kRolledBack;
    report.detail = why + "; rolled back";
    return finish(std::move(report), DetailIs::kError);
  }

  ActionReport run(actions::Action& action, const std::string& target, const std::string& finding,
                   inspect::HostState& current, const ExecuteRequest& request) {
    ActionReport report{std::string(action.id()), target, {}, ActionState::kSkipped, {}, {}, false};
    if (!ctx_.dry_run) {
      journal::Intent intent{request.plan_id, report.action, target, finding,
                             request.trigger + ":" + report.action + ":" + target};
      auto recorded = ctx_.journal->actions().record_intent(intent);
      if (!recorded) {
        report.outcome = ActionState::kFailed;
        report.detail = "no durable intent, nothing changed: " + recorded.error().message();
        return report;
      }
      report.action_row = recorded.value().action_row;
      if (recorded.value().duplicate) {
        report.duplicate = true;
        report.detail = "already done for this trigger (action " + std::to_string(*report.action_row) + ")";
        return report;
      }
      maybe_crash(Step::kAfterIntent, report.action);
    }

    if (!ctx_.privileged) {
      report.outcome = ActionState::kPreconditionFailed;
      report.detail = "changing the host needs root (Linux) or an Administrator (Windows)";
      return finish(std::move(report), DetailIs::kReason);
    }
    if (auto checked = action.check(current); !checked) {
      report.outcome = ActionState::kPreconditionFailed;
      report.detail = checked.error().message();
      return finish(std::move(report), DetailIs::kReason);
    }
    auto backup = action.backup(current);
    if (!backup) {
      report.outcome = ActionState::kFailed;
      report.detail = "no backup, nothing changed: " + backup.error().message();
      return finish(std::move(report), DetailIs::kError);
    }
    if (ctx_.dry_run) {
      report.outcome = ActionState::kWouldApply;
      return report;
    }
    if (auto r = ctx_.journal->actions().record_backup(
            *report.action_row, util::json_text(backup.value().data), state_json(current));
        !r) {
      report.outcome = ActionState::kFailed;
      report.detail = "backup not durable, nothing changed: " + r.error().message();
      return finish(std::move(report), DetailIs::kError);
    }
    maybe_crash(Step::kAfterBackup, report.action);

    auto applied = action.apply(current, backup.value());
    maybe_crash(Step::kAfterApply, report.action);
    if (!applied) {
      // A failed apply may have changed part of what it owns: put the backup back.
      return roll_back(action, std::move(report), backup.value(), current,
                       "apply failed: " + applied.error().message());
    }
    if (auto r = ctx_.journal->actions().record_applied(*report.action_row); !r)
      return roll_back(action, std::move(report), backup.value(), current,
                       "the journal could not record the change: " + r.error().message());
    return verify_or_roll_back(action, std::move(report), backup.value(), current, "");
  }

 private:
  ExecutorContext& ctx_;
};

std::string first_finding(const plan::PlannedAction& planned) {
  return planned.findings.empty() ? std::string() : planned.findings.front();
}

Result<actions::Backup> parse_backup(const journal::ActionRecord& record) {
  auto data = nlohmann::json::parse(record.backup, nullptr, false);
  if (data.is_discarded())
    return Error{"read the backup of action " + std::to_string(record.id), record.action,
                 "the journal's backup is not JSON"};
  return actions::Backup{std::move(data)};
}

}  // namespace

ExecuteResult execute_plan(ExecutorContext& ctx, const ExecuteRequest& request) {
  Runner runner(ctx);
  ExecuteResult result{{}, *request.state};
  bool stopped = false;
  std::string stop_reason;
  // A restart is for the changes before it; when every one of them is served already, it is not needed
  // (and not held back either: nothing is pending).
  int changes = 0;
  int changes_needing_restart = 0;
  for (const auto& planned : request.plan->actions) {
    ActionReport report{planned.action, planned.target, {},   ActionState::kSkipped,
                        planned.skip,   planned.reason, false};
    actions::Action* action = ctx.actions->find(planned.action);
    const auto* definition = diagnosis::default_diagnosis_catalog().action(planned.action);
    const bool is_restart = definition && definition->kind == diagnosis::ActionKind::kServiceRestart;
    if (is_restart && changes > 0 && changes_needing_restart == 0 && !planned.serves_earlier_change &&
        !ctx.dry_run) {
      report.skip = plan::SkipReason::kNothingToRestart;
      report.detail = "not needed: the listener serves the changes before it without a restart";
      result.reports.push_back(std::move(report));
      continue;
    }
    if (!planned.run || !action) {
      if (planned.run && !action) {
        report.skip = plan::SkipReason::kNotAvailable;
        report.detail = "not available on this host";
      }
      result.reports.push_back(std::move(report));
      continue;
    }
    if (stopped) {
      report.skip = plan::SkipReason::kEarlierFailed;
      report.detail = stop_reason;
      result.reports.push_back(std::move(report));
      continue;
    }
    auto done = runner.run(*action, planned.target, first_finding(planned), result.final_state, request);
    // Later actions build on earlier ones (the restart serves the new certificate): stop at the first
    // that did not succeed. A dry run goes on, as nothing was changed.
    bool went_well =
        done.outcome == ActionState::kSucceeded || done.outcome == ActionState::kWouldApply || done.duplicate;
    if (!went_well && !ctx.dry_run) {
      stopped = true;
      stop_reason = "not run: " + done.action + " before it did not succeed";
    }
    const bool is_change = !definition || definition->kind == diagnosis::ActionKind::kChange;
    if (done.outcome == ActionState::kSucceeded && !done.duplicate && is_change) {
      ++changes;
      done.waits_for_restart = !action->served_without_restart();
      if (done.waits_for_restart) ++changes_needing_restart;
    }
    result.reports.push_back(std::move(done));
  }
  return result;
}

Result<std::vector<ActionReport>> recover_in_flight(ExecutorContext& ctx) {
  auto in_flight = ctx.journal->actions().in_flight();
  if (!in_flight) return in_flight.error();
  std::vector<ActionReport> reports;
  if (in_flight.value().empty()) return reports;
  Runner runner(ctx);
  auto current = ctx.reinspect();
  for (const auto& record : in_flight.value()) {
    ActionReport report{record.action, record.target, record.id, ActionState::kFailed, {}, {}, false};
    actions::Action* action = ctx.actions->find(record.action);
    if (!action)
      return Error{"recover action " + std::to_string(record.id), record.action,
                   "this host does not offer that action, so it can be neither verified nor rolled back; "
                   "the journal " +
                       ctx.journal->path() + " keeps it in flight"};
    if (record.state == ActionState::kVerified) {
      report.outcome = ActionState::kSucceeded;
      report.detail = "recovered after an interruption: it had been verified";
      reports.push_back(runner.finish(std::move(report), Runner::DetailIs::kReason));
      continue;
    }
    if (!record.backup_at) {
      report.detail = "interrupted before its change started; nothing was changed";
      reports.push_back(runner.finish(std::move(report), Runner::DetailIs::kError));
      continue;
    }
    auto backup = parse_backup(record);
    if (!backup) return backup.error();
    if (!ctx.privileged)
      return Error{"recover action " + std::to_string(record.id), record.action,
                   "an interrupted change needs root (Linux) or an Administrator (Windows) to finish"};
    // Backed up, maybe partly applied: if the change is complete it verifies, else roll it back.
    reports.push_back(runner.verify_or_roll_back(*action, std::move(report), backup.value(), current,
                                                 "recovered after an interruption",
                                                 record.state == ActionState::kIntent));
  }
  // Whether the listener took a recovered change before the interruption is unknown (served_without_restart
  // is learnt while applying): it gets the restart the interrupted pass had planned. With no session that
  // restart is harmless; with one it waits.
  for (auto& report : reports) {
    const auto* definition = diagnosis::default_diagnosis_catalog().action(report.action);
    const bool is_change = !definition || definition->kind == diagnosis::ActionKind::kChange;
    report.waits_for_restart = report.outcome == ActionState::kSucceeded && is_change &&
                               !ctx.actions->find(report.action)->served_without_restart();
  }
  return reports;
}

Result<ActionReport> rollback_action(ExecutorContext& ctx, std::int64_t action_row) {
  const std::string what = "roll back action " + std::to_string(action_row);
  auto found = ctx.journal->actions().find(action_row);
  if (!found) return found.error();
  if (!found.value()) return Error{what, ctx.journal->path(), "no such action in the journal"};
  const auto& record = *found.value();
  ActionReport report{record.action, record.target, record.id, ActionState::kRolledBack, {}, {}, false};
  if (record.state == ActionState::kRolledBack) {
    report.detail = "already rolled back; nothing to do";
    return report;
  }
  bool finished_with_backup =
      record.backup_at && (record.state == ActionState::kSucceeded || record.state == ActionState::kFailed);
  if (!finished_with_backup)
    return Error{what, record.action,
                 "it is " + std::string(journal::to_string(record.state)) +
                     (record.backup_at ? "" : " and has no backup") +
                     "; only a finished action with a backup can be rolled back"};
  actions::Action* action = ctx.actions->find(record.action);
  if (!action) return Error{what, record.action, "this host does not offer that action"};
  if (!action->reversible()) return Error{what, record.action, "this action cannot be undone"};
  if (!ctx.privileged)
    return Error{what, record.action, "changing the host needs root (Linux) or an Administrator (Windows)"};
  auto backup = parse_backup(record);
  if (!backup) return backup.error();
  if (ctx.dry_run) {
    report.outcome = ActionState::kWouldApply;
    report.detail = "would restore the state backed up at the action's start";
    return report;
  }
  // The rollback is itself a change: its intent is durable first. It is idempotent, so an interrupted
  // rollback is finished by running it again.
  if (auto r = ctx.journal->audit().record("rollback-started", what,
                                           util::json_text(nlohmann::json{{"action", record.id}}));
      !r)
    return r.error();
  if (auto rolled = action->rollback(backup.value()); !rolled) return rolled.error();
  if (auto r = ctx.journal->actions().record_outcome(record.id, ActionState::kRolledBack, "",
                                                     "rolled back by an administrator");
      !r)
    return r.error();
  report.detail = "restored " + record.target + " as it was before the action";
  return report;
}

}  // namespace rdpmend::execute
