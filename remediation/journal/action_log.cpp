#include "journal/action_log.h"

#include <initializer_list>
#include <stdexcept>

#include "journal/connection.h"

namespace rdpmend::journal {
namespace {

constexpr const char* kActionColumns =
    "id, plan_id, action, target, finding, idempotency_key, state, reason, backup, before_state, "
    "after_state, "
    "error, intent_at, backup_at, applied_at, verified_at, finished_at";

ActionRecord read_action(SQLite::Statement& row) {
  ActionRecord record;
  record.id = row.getColumn(0).getInt64();
  if (!row.getColumn(1).isNull()) record.plan_id = row.getColumn(1).getInt64();
  record.action = text(row.getColumn(2));
  record.target = text(row.getColumn(3));
  record.finding = text(row.getColumn(4));
  record.idempotency_key = text(row.getColumn(5));
  const std::string state = text(row.getColumn(6));
  const auto parsed = parse_action_state(state);
  if (!parsed)
    throw std::runtime_error("action " + std::to_string(record.id) + " has an unknown state '" + state + "'");
  record.state = *parsed;
  record.reason = text(row.getColumn(7));
  record.backup = text(row.getColumn(8));
  record.before_state = text(row.getColumn(9));
  record.after_state = text(row.getColumn(10));
  record.error = text(row.getColumn(11));
  record.intent_at = from_ms(row.getColumn(12).getInt64());
  record.backup_at = optional_time(row.getColumn(13));
  record.applied_at = optional_time(row.getColumn(14));
  record.verified_at = optional_time(row.getColumn(15));
  record.finished_at = optional_time(row.getColumn(16));
  return record;
}

std::vector<ActionRecord> read_actions(SQLite::Statement& query) {
  std::vector<ActionRecord> records;
  while (query.executeStep()) records.push_back(read_action(query));
  return records;
}

std::string action_name(std::int64_t action_row) {
  return "action " + std::to_string(action_row);
}

// One step of an action: checks that the action exists and is in one of `from`, then runs `update` (bound
// with `bind`), in one transaction.
template <typename Bind>
Status advance(SQLite::Database& db, const char* what, std::int64_t action_row,
               std::initializer_list<ActionState> from, const char* update, Bind&& bind) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement current(db, "SELECT state FROM actions WHERE id = ?");
  current.bind(1, action_row);
  if (!current.executeStep()) return Error{what, action_name(action_row), "no such action in the journal"};
  const std::string state = text(current.getColumn(0));
  bool allowed = false;
  for (ActionState candidate : from) allowed = allowed || state == to_string(candidate);
  if (!allowed) return Error{what, action_name(action_row), "refused: the action is already " + state};
  SQLite::Statement statement(db, update);
  bind(statement);
  statement.bind(statement.getBindParameterCount(), action_row);  // the last parameter is always the id
  statement.exec();
  transaction.commit();
  return Ok{};
}

}  // namespace

Result<IntentRecorded> ActionLog::record_intent(const Intent& intent) {
  const char* const kWhat = "record the intent of an action";
  if (intent.action.empty() || intent.target.empty() || intent.idempotency_key.empty())
    return Error{kWhat, c_->path, "an intent needs an action id, a target and an idempotency key"};
  return guarded(kWhat, c_->path, [&]() -> Result<IntentRecorded> {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement existing(db, "SELECT id FROM actions WHERE idempotency_key = ?");
    existing.bind(1, intent.idempotency_key);
    if (existing.executeStep()) return IntentRecorded{existing.getColumn(0).getInt64(), true};
    SQLite::Statement insert(
        db,
        "INSERT INTO actions (plan_id, action, target, finding, idempotency_key, state, intent_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (intent.plan_id)
      insert.bind(1, *intent.plan_id);
    else
      insert.bind(1);
    insert.bind(2, intent.action);
    insert.bind(3, intent.target);
    insert.bind(4, intent.finding);
    insert.bind(5, intent.idempotency_key);
    insert.bind(6, std::string(to_string(ActionState::kIntent)));
    insert.bind(7, to_ms(c_->now()));
    insert.exec();
    const std::int64_t id = db.getLastInsertRowid();
    transaction.commit();  // synchronous=FULL: on disk when commit returns
    return IntentRecorded{id, false};
  });
}

Status ActionLog::record_backup(std::int64_t action_row, std::string_view backup,
                                std::string_view before_state) {
  return guarded("record the backup of an action", c_->path, [&]() -> Status {
    return advance(*c_->db, "record the backup of an action", action_row, {ActionState::kIntent},
                   "UPDATE actions SET backup = ?, before_state = ?, backup_at = ? WHERE id = ?",
                   [&](SQLite::Statement& s) {
                     s.bind(1, backup.data(), static_cast<int>(backup.size()));
                     s.bind(2, std::string(before_state));
                     s.bind(3, to_ms(c_->now()));
                   });
  });
}

Status ActionLog::record_applied(std::int64_t action_row) {
  return guarded("record that an action was applied", c_->path, [&]() -> Status {
    return advance(*c_->db, "record that an action was applied", action_row, {ActionState::kIntent},
                   "UPDATE actions SET state = ?, applied_at = ? WHERE id = ?", [&](SQLite::Statement& s) {
                     s.bind(1, std::string(to_string(ActionState::kApplied)));
                     s.bind(2, to_ms(c_->now()));
                   });
  });
}

Status ActionLog::record_verified(std::int64_t action_row, std::string_view after_state) {
  return guarded("record the verification of an action", c_->path, [&]() -> Status {
    return advance(*c_->db, "record the verification of an action", action_row, {ActionState::kApplied},
                   "UPDATE actions SET state = ?, after_state = ?, verified_at = ? WHERE id = ?",
                   [&](SQLite::Statement& s) {
                     s.bind(1, std::string(to_string(ActionState::kVerified)));
                     s.bind(2, std::string(after_state));
                     s.bind(3, to_ms(c_->now()));
                   });
  });
}

Status ActionLog::record_outcome(std::int64_t action_row, ActionState outcome, std::string_view error,
                                 std::string_view reason) {
  const char* const kWhat = "record the outcome of an action";
  if (!is_outcome(outcome))
    return Error{kWhat, action_name(action_row),
                 "'" + std::string(to_string(outcome)) + "' is not an outcome"};
  std::initializer_list<ActionState> from_finished = {ActionState::kIntent, ActionState::kApplied,
                                                      ActionState::kVerified, ActionState::kSucceeded,
                                                      ActionState::kFailed};
  return guarded(kWhat, c_->path, [&]() -> Status {
    return advance(*c_->db, kWhat, action_row,
                   outcome == ActionState::kRolledBack ? from_finished : kInFlight,
                   "UPDATE actions SET state = ?, error = ?, reason = ?, finished_at = ? WHERE id = ?",
                   [&](SQLite::Statement& s) {
                     s.bind(1, std::string(to_string(outcome)));
                     s.bind(2, std::string(error));
                     s.bind(3, std::string(reason));
                     s.bind(4, to_ms(c_->now()));
                   });
  });
}

Result<std::vector<ActionRecord>> ActionLog::in_flight() {
  return guarded("list the actions in flight", c_->path, [&]() -> Result<std::vector<ActionRecord>> {
    SQLite::Statement query(*c_->db, std::string("SELECT ") + kActionColumns + " FROM actions WHERE " +
                                         state_in("state", kInFlight) + " ORDER BY id");
    return read_actions(query);
  });
}

Result<std::vector<ActionRecord>> ActionLog::history(TimePoint since) {
  return guarded("read the action history", c_->path, [&]() -> Result<std::vector<ActionRecord>> {
    SQLite::Statement query(*c_->db, std::string("SELECT ") + kActionColumns +
                                         " FROM actions WHERE intent_at >= ? ORDER BY intent_at, id");
    query.bind(1, to_ms(since));
    return read_actions(query);
  });
}

Result<std::optional<ActionRecord>> ActionLog::find(std::int64_t action_row) {
  return guarded("find an action", c_->path, [&]() -> Result<std::optional<ActionRecord>> {
    SQLite::Statement query(*c_->db, std::string("SELECT ") + kActionColumns + " FROM actions WHERE id = ?");
    query.bind(1, action_row);
    if (!query.executeStep()) return std::optional<ActionRecord>();
    return std::optional<ActionRecord>(read_action(query));
  });
}

Result<int> ActionLog::count_actions_since(TimePoint since) {
  return guarded("count recent actions", c_->path, [&]() -> Result<int> {
    SQLite::Statement query(
        *c_->db, "SELECT COUNT(*) FROM actions WHERE intent_at >= ? AND " +
                     state_not_in("state", {ActionState::kSkipped, ActionState::kPreconditionFailed}));
    query.bind(1, to_ms(since));
    query.executeStep();
    return query.getColumn(0).getInt();
  });
}

Result<std::optional<TimePoint>> ActionLog::last_change(std::string_view action, std::string_view target) {
  return guarded("find the last change by an action", c_->path, [&]() -> Result<std::optional<TimePoint>> {
    SQLite::Statement query(*c_->db,
                            "SELECT MAX(finished_at) FROM actions WHERE action = ? AND target = ? AND (" +
                                state_in("state", {ActionState::kSucceeded}) + " OR (" +
                                state_in("state", {ActionState::kFailed, ActionState::kRolledBack}) +
                                " AND applied_at IS NOT NULL))");
    query.bind(1, std::string(action));
    query.bind(2, std::string(target));
    query.executeStep();
    return optional_time(query.getColumn(0));
  });
}

Result<int> ActionLog::recurrences_after_success(std::string_view finding, TimePoint since) {
  return guarded("count the recurrences of a finding", c_->path, [&]() -> Result<int> {
    SQLite::Statement query(
        *c_->db,
        "SELECT COUNT(*) FROM findings f WHERE f.finding = ?1 AND f.seen_at >= ?2 AND EXISTS ("
        "SELECT 1 FROM actions a WHERE a.finding = ?1 AND " +
            state_in("a.state", {ActionState::kSucceeded}) +
            " AND a.finished_at >= ?2 AND a.finished_at <= f.seen_at)");
    query.bind(1, std::string(finding));
    query.bind(2, to_ms(since));
    query.executeStep();
    return query.getColumn(0).getInt();
  });
}

}  // namespace rdpmend::journal
