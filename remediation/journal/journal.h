#pragma once
// The journal: the engine's durable memory, one SQLite database (WAL, synchronous=FULL, foreign keys on).
// Every change the executor makes is recorded here before it starts (intent), with the backup of the prior
// state, the verification and the outcome, so a crash at any point is recovered at the next start
// (actions_in_flight) and any change can be undone (find_action + its backup). It also keeps the aggregated
// events seen, findings, plans, policy snapshots, event bookmarks and an audit trail of gaps and alerts.
//
// Every call returns a value: a corrupt database, a locked one, a newer schema or unsafe file permissions are
// Error values saying so (no exception escapes), and the caller then keeps observing but changes nothing.
// The file is protected by journal/file_protection.h (0600 root on Linux, SYSTEM/Administrators on Windows).
// Default locations (the caller passes the path): /var/lib/rdpmend/journal.db,
// %ProgramData%\RdpMend\journal.db.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace SQLite {
class Database;
}

namespace rdpmend::journal {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;  // stored as UTC milliseconds

enum class PlanState { kProposed, kApproved, kExecuted, kRejected };

// intent -> (precondition-failed | skipped) or -> applied -> verified -> succeeded; failed and rolled-back
// from any step. in flight: intent, applied, verified (no outcome yet).
enum class ActionState {
  kIntent,
  kPreconditionFailed,
  kApplied,
  kVerified,
  kSucceeded,
  kFailed,
  kRolledBack,
  kSkipped,
};

std::string_view to_string(PlanState state);
std::string_view to_string(ActionState state);
std::optional<PlanState> parse_plan_state(std::string_view text);
std::optional<ActionState> parse_action_state(std::string_view text);
// An outcome ends an action: precondition-failed, succeeded, failed, rolled-back, skipped.
bool is_outcome(ActionState state);

struct Options {
  std::chrono::milliseconds busy_timeout{5000};  // wait this long for another connection's lock
  std::function<TimePoint()> now;                // the clock for recorded times; unset: system_clock
};

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

struct EventsSeen {
  std::string symptom;
  std::string channel;
  std::int64_t count = 0;  // added to the stored count
  TimePoint first_seen;
  TimePoint last_seen;
};

struct Finding {
  std::int64_t id = 0;  // set when read back
  std::string host;
  std::string finding;  // finding id, e.g. rdp-key-file-acl-drift
  std::string target;
  std::string severity;
  std::string evidence;  // JSON
  TimePoint seen_at;
};

struct Bookmark {
  std::string channel;
  std::string bookmark;  // EvtCreateBookmark XML, or a log offset as text
};

// What one pass over new events produced. Recorded in one transaction: the bookmarks move only together with
// what was decided from the events they cover.
struct Observations {
  std::vector<EventsSeen> events;
  std::vector<Finding> findings;
  std::vector<Bookmark> bookmarks;
};

struct PlannedAction {
  std::string action;
  std::string target;
  std::string finding;
};

struct LeftOut {
  std::string action;
  std::string target;
  std::string reason;  // policy mode, not allowed, cooldown, rate limit, breaker, ...
};

struct Plan {
  std::int64_t id = 0;  // set by save_plan / when read back
  TimePoint created_at;
  std::string mode;  // Off / Observe / Approve / Auto
  PlanState state = PlanState::kProposed;
  std::vector<PlannedAction> actions;  // in execution order
  std::vector<LeftOut> left_out;
};

struct AuditEntry {
  std::int64_t id = 0;
  TimePoint at;
  std::string kind;  // e.g. event-gap, breaker-open
  std::string message;
  std::string detail;  // JSON
};

struct PruneCounts {
  int actions = 0;
  int findings = 0;
  int plans = 0;
  int events_seen = 0;
  int policy_snapshots = 0;
  int audit = 0;
};

class Journal {
 public:
  // Opens or creates the database at `path` (the folder must exist), checks its permissions, sets WAL and
  // synchronous=FULL, checks its integrity and applies the missing migrations. A database written by a newer
  // RdpMend is refused.
  static Result<Journal> open(const std::string& path, Options options = {});

  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  ~Journal();

  const std::string& path() const { return path_; }
  int schema_version() const;

  // Actions, in the executor's order. record_intent is on disk when it returns.
  Result<IntentRecorded> record_intent(const Intent& intent);
  Status record_backup(std::int64_t action_row, std::string_view backup, std::string_view before_state);
  Status record_applied(std::int64_t action_row);
  Status record_verified(std::int64_t action_row, std::string_view after_state);
  // `outcome` must be an outcome (is_outcome); a finished action can only move on to rolled-back.
  Status record_outcome(std::int64_t action_row, ActionState outcome, std::string_view error = {},
                        std::string_view reason = {});

  // Started but not finished (intent/applied/verified): what crash recovery verifies or rolls back.
  Result<std::vector<ActionRecord>> actions_in_flight();
  // Actions whose intent was recorded at or after `since`, oldest first.
  Result<std::vector<ActionRecord>> history(TimePoint since);
  Result<std::optional<ActionRecord>> find_action(std::int64_t action_row);

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

  Status record_observations(const Observations& observations);
  Result<std::vector<EventsSeen>> events_seen();
  Result<std::vector<Finding>> findings_since(TimePoint since);

  Result<std::int64_t> save_plan(const Plan& plan);
  Status set_plan_state(std::int64_t plan_id, PlanState state);
  Result<std::optional<Plan>> find_plan(std::int64_t plan_id);
  // The newest plan still awaiting approval, so a pass that proposes the same again reuses it.
  Result<std::optional<Plan>> latest_proposed_plan();

  Status save_bookmark(const Bookmark& bookmark);
  Result<std::optional<std::string>> load_bookmark(std::string_view channel);

  Result<std::int64_t> save_policy_snapshot(std::string_view policy_json);
  Result<std::optional<std::string>> latest_policy_snapshot();

  Result<std::int64_t> record_audit(std::string_view kind, std::string_view message,
                                    std::string_view detail = "{}");
  Result<std::vector<AuditEntry>> audit_since(TimePoint since);

  // Deletes what is older than `retention`: finished actions, findings, plans without actions, events seen,
  // audit entries and policy snapshots (the latest snapshot stays). Actions in flight are never pruned.
  Result<PruneCounts> prune(std::chrono::days retention);

 private:
  Journal(std::string path, Options options, std::unique_ptr<SQLite::Database> db);
  static Result<Journal> open_once(const std::string& path, Options options);
  TimePoint now() const;

  std::string path_;
  Options options_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace rdpmend::journal
