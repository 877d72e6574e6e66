#pragma once
// The action log: every change the executor makes, recorded before it starts (intent), with the backup of
// the prior state, the verification and the outcome, so a crash at any point is recovered at the next start
// (in_flight) and any change can be undone (find + its backup). It also answers the planner's
// questions about past actions: the rate limit, the cooldown and the circuit breaker.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "journal/states.h"
#include "journal/time.h"

namespace rdpmend::journal {

struct Connection;

// What the executor is about to do. The idempotency key names the trigger (e.g. "channel:record-id" or
// "finding:target"): the same key twice gives one action.
struct Intent {
  std::optional<std::int64_t> plan_id;
  std::string action;   // action id, e.g. repair-rdp-key-acl
  std::string target;   // what it changes, e.g. the key file path
  std::string finding;  // the finding it fixes (for the circuit breaker), may be empty
  std::string idempotency_key;
};

struct IntentRecorded {
  std::int64_t action_row = 0;  // the new action, or on a duplicate the earlier action with that key
  bool duplicate = false;       // the key was already recorded: nothing new was written, do not act
};

struct ActionRecord {
  std::int64_t id = 0;
  std::optional<std::int64_t> plan_id;
  std::string action;
  std::string target;
  std::string finding;
  std::string idempotency_key;
  ActionState state = ActionState::kIntent;
  std::string reason;        // why skipped / precondition failed
  std::string backup;        // the prior state as the action needs it to roll back (bytes or JSON)
  std::string before_state;  // JSON, for people
  std::string after_state;   // JSON, for people
  std::string error;
  TimePoint intent_at;
  std::optional<TimePoint> backup_at;
  std::optional<TimePoint> applied_at;
  std::optional<TimePoint> verified_at;
  std::optional<TimePoint> finished_at;
};

class ActionLog {
 public:
  explicit ActionLog(Connection& connection) : c_(&connection) {}

  // In the executor's order. record_intent is on disk when it returns.
  Result<IntentRecorded> record_intent(const Intent& intent);
  Status record_backup(std::int64_t action_row, std::string_view backup, std::string_view before_state);
  Status record_applied(std::int64_t action_row);
  Status record_verified(std::int64_t action_row, std::string_view after_state);
  // `outcome` must be an outcome (is_outcome); a finished action can only move on to rolled-back.
  Status record_outcome(std::int64_t action_row, ActionState outcome, std::string_view error = {},
                        std::string_view reason = {});

  // Started but not finished (intent/applied/verified): what crash recovery verifies or rolls back.
  Result<std::vector<ActionRecord>> in_flight();
  // Actions whose intent was recorded at or after `since`, oldest first.
  Result<std::vector<ActionRecord>> history(TimePoint since);
  Result<std::optional<ActionRecord>> find(std::int64_t action_row);

  // Rate limit: actions started at or after `since` that may have changed something (all but skipped and
  // precondition-failed).
  Result<int> count_actions_since(TimePoint since);
  // Cooldown: when this action last finished after changing this target: succeeded, or failed or rolled back
  // after its change was applied (a fix that does not hold is not redone every pass; an administrator's
  // rollback is not undone at once). A change that never applied does not count: the rate limit bounds it.
  Result<std::optional<TimePoint>> last_change(std::string_view action, std::string_view target);
  // Circuit breaker: findings of this kind recorded at or after `since` that came back after an action
  // fixing it succeeded (within the same window).
  Result<int> recurrences_after_success(std::string_view finding, TimePoint since);

 private:
  Connection* c_;  // owned by the Journal, which outlives this part of it
};

}  // namespace rdpmend::journal
