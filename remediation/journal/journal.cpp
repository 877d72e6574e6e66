#include "journal/journal.h"

#include <filesystem>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <array>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "journal/file_protection.h"
#include "journal/migrations.h"
#include "security/trusted_file.h"
#include "util/json_text.h"

namespace rdpmend::journal {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr std::array<std::string_view, 4> kPlanStates = {"proposed", "approved", "executed", "rejected"};
constexpr std::array<std::string_view, 8> kActionStates = {
    "intent", "precondition-failed", "applied", "verified", "succeeded", "failed", "rolled-back", "skipped"};

std::int64_t to_ms(TimePoint t) {
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(std::int64_t ms) {
  return TimePoint(duration_cast<Clock::duration>(milliseconds(ms)));
}

std::optional<TimePoint> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return from_ms(column.getInt64());
}

std::string text(const SQLite::Column& column) {
  if (column.isNull()) return {};
  return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
}

// SQLite's errors in words the agent can act on: corrupt and locked databases are named as such.
Error sqlite_error(std::string what, const std::string& path, int code, const std::string& message) {
  const int primary = code & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return Error{std::move(what), path,
                 "the database is corrupt (" + message +
                     "); no change will be made until it is repaired or moved away"};
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Error{
        std::move(what), path,
        "the database is locked by another connection (" + message + "); no change will be made while it is"};
  return Error{std::move(what), path, message};
}

// Runs `body`, turning any exception into an Error value: nothing escapes to the caller.
template <typename Body>
auto guarded(const char* what, const std::string& path, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return sqlite_error(what, path, e.getErrorCode(), e.what());
  } catch (const std::exception& e) {
    return Error{what, path, e.what()};
  }
}

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

nlohmann::json plan_actions_json(const Plan& plan) {
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& a : plan.actions)
    actions.push_back({{"action", a.action}, {"target", a.target}, {"finding", a.finding}});
  return actions;
}

nlohmann::json plan_left_out_json(const Plan& plan) {
  nlohmann::json left_out = nlohmann::json::array();
  for (const auto& l : plan.left_out)
    left_out.push_back({{"action", l.action}, {"target", l.target}, {"reason", l.reason}});
  return left_out;
}

}  // namespace

std::string_view to_string(PlanState state) {
  return kPlanStates[static_cast<std::size_t>(state)];
}

std::string_view to_string(ActionState state) {
  return kActionStates[static_cast<std::size_t>(state)];
}

std::optional<PlanState> parse_plan_state(std::string_view text) {
  for (std::size_t i = 0; i < kPlanStates.size(); ++i)
    if (kPlanStates[i] == text) return static_cast<PlanState>(i);
  return std::nullopt;
}

std::optional<ActionState> parse_action_state(std::string_view text) {
  for (std::size_t i = 0; i < kActionStates.size(); ++i)
    if (kActionStates[i] == text) return static_cast<ActionState>(i);
  return std::nullopt;
}

bool is_outcome(ActionState state) {
  return state != ActionState::kIntent && state != ActionState::kApplied && state != ActionState::kVerified;
}

Result<Journal> Journal::open(const std::string& path, Options options) {
  // The folder must be one only root (Windows: SYSTEM and Administrators) can change: SQLite opens the files
  // by name, and the trust rule on the folder is what keeps another account from swapping an entry between
  // the checks below and SQLite's open.
  const std::string folder = std::filesystem::absolute(std::filesystem::path(path)).parent_path().string();
  if (auto refused = security::check_trusted(folder, security::Use::kFolder))
    return refused->to_error("check the journal's folder");
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  // SQLite takes an empty file for an empty database: re-creating a journal that is there would lose its
  // history, backups and breaker state, so one that is empty (with no write-ahead log holding its pages) is
  // an error for an administrator to look at. Only a missing journal is created.
  std::error_code wal_missing;
  const auto wal_size = std::filesystem::file_size(path + "-wal", wal_missing);
  if (existed && std::filesystem::file_size(path, ec) == 0 && !ec && (wal_missing || wal_size == 0))
    return Error{
        "open the journal", path,
        "refused: the journal exists but is empty (it is never re-created: move it away to start a new "
        "one)"};
  auto opened = open_once(path, options);
  if (!opened || existed) return opened;
  // A new database: SQLite made its -wal and -shm while switching to WAL, with the folder's permissions.
  // Closing removes them; reopened, they are made by prepare_database_file with the journal's own protection
  // from their first moment (so a crash leaves them protected, also where only the protection given at
  // creation sticks, as under Wine).
  { Journal closing = std::move(opened).value(); }
  return open_once(path, std::move(options));
}

Result<Journal> Journal::open_once(const std::string& path, Options options) {
  if (auto prepared = prepare_database_file(path); !prepared) return prepared.error();
  return guarded("open the journal", path, [&]() -> Result<Journal> {
    const auto busy_ms = static_cast<int>(options.busy_timeout.count());
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE, busy_ms);
    const std::string mode = db->execAndGet("PRAGMA journal_mode=WAL").getString();
    if (mode != "wal")
      return Error{"open the journal", path,
                   "cannot switch the database to WAL mode (it stays '" + mode + "')"};
    db->exec("PRAGMA synchronous=FULL");  // an intent is on disk before the change it announces starts
    db->exec("PRAGMA foreign_keys=ON");

    std::string problems;
    SQLite::Statement check(*db, "PRAGMA quick_check");
    while (check.executeStep()) {
      const std::string row = check.getColumn(0).getString();
      if (row == "ok") continue;
      if (!problems.empty()) problems += "; ";
      problems += row;
    }
    if (!problems.empty())
      return Error{"open the journal", path,
                   "the database is corrupt (" + problems +
                       "); no change will be made until it is repaired or moved away"};

    const int latest = latest_schema_version();
    const int found = db->execAndGet("PRAGMA user_version").getInt();
    if (found > latest)
      return Error{"open the journal", path,
                   "refused: its schema version " + std::to_string(found) +
                       " is newer than this RdpMend knows (" + std::to_string(latest) +
                       "); upgrade RdpMend or move the file away"};
    for (int version = found + 1; version <= latest; ++version) {
      SQLite::Transaction transaction(*db, SQLite::TransactionBehavior::IMMEDIATE);
      // Another process may have migrated meanwhile: the version is read again under the write lock.
      if (db->execAndGet("PRAGMA user_version").getInt() >= version) continue;
      db->exec(std::string(migrations()[static_cast<std::size_t>(version - 1)]));
      db->exec("PRAGMA user_version = " + std::to_string(version));
      transaction.commit();
    }
    if (auto protected_files = protect_companion_files(path); !protected_files)
      return protected_files.error();
    return Journal(path, std::move(options), std::move(db));
  });
}

Journal::Journal(std::string path, Options options, std::unique_ptr<SQLite::Database> db)
    : path_(std::move(path)), options_(std::move(options)), db_(std::move(db)) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

TimePoint Journal::now() const {
  return options_.now ? options_.now() : Clock::now();
}

int Journal::schema_version() const {
  try {
    return db_->execAndGet("PRAGMA user_version").getInt();
  } catch (const std::exception&) {
    return -1;
  }
}

Result<IntentRecorded> Journal::record_intent(const Intent& intent) {
  const char* const kWhat = "record the intent of an action";
  if (intent.action.empty() || intent.target.empty() || intent.idempotency_key.empty())
    return Error{kWhat, path_, "an intent needs an action id, a target and an idempotency key"};
  return guarded(kWhat, path_, [&]() -> Result<IntentRecorded> {
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement existing(*db_, "SELECT id FROM actions WHERE idempotency_key = ?");
    existing.bind(1, intent.idempotency_key);
    if (existing.executeStep()) return IntentRecorded{existing.getColumn(0).getInt64(), true};
    SQLite::Statement insert(
        *db_,
        "INSERT INTO actions (plan_id, action, target, finding, idempotency_key, state, intent_at) "
        "VALUES (?, ?, ?, ?, ?, 'intent', ?)");
    if (intent.plan_id)
      insert.bind(1, *intent.plan_id);
    else
      insert.bind(1);
    insert.bind(2, intent.action);
    insert.bind(3, intent.target);
    insert.bind(4, intent.finding);
    insert.bind(5, intent.idempotency_key);
    insert.bind(6, to_ms(now()));
    insert.exec();
    const std::int64_t id = db_->getLastInsertRowid();
    transaction.commit();  // synchronous=FULL: on disk when commit returns
    return IntentRecorded{id, false};
  });
}

Status Journal::record_backup(std::int64_t action_row, std::string_view backup,
                              std::string_view before_state) {
  return guarded("record the backup of an action", path_, [&]() -> Status {
    return advance(*db_, "record the backup of an action", action_row, {ActionState::kIntent},
                   "UPDATE actions SET backup = ?, before_state = ?, backup_at = ? WHERE id = ?",
                   [&](SQLite::Statement& s) {
                     s.bind(1, backup.data(), static_cast<int>(backup.size()));
                     s.bind(2, std::string(before_state));
                     s.bind(3, to_ms(now()));
                   });
  });
}

Status Journal::record_applied(std::int64_t action_row) {
  return guarded("record that an action was applied", path_, [&]() -> Status {
    return advance(*db_, "record that an action was applied", action_row, {ActionState::kIntent},
                   "UPDATE actions SET state = 'applied', applied_at = ? WHERE id = ?",
                   [&](SQLite::Statement& s) { s.bind(1, to_ms(now())); });
  });
}

Status Journal::record_verified(std::int64_t action_row, std::string_view after_state) {
  return guarded("record the verification of an action", path_, [&]() -> Status {
    return advance(*db_, "record the verification of an action", action_row, {ActionState::kApplied},
                   "UPDATE actions SET state = 'verified', after_state = ?, verified_at = ? WHERE id = ?",
                   [&](SQLite::Statement& s) {
                     s.bind(1, std::string(after_state));
                     s.bind(2, to_ms(now()));
                   });
  });
}

Status Journal::record_outcome(std::int64_t action_row, ActionState outcome, std::string_view error,
                               std::string_view reason) {
  const char* const kWhat = "record the outcome of an action";
  if (!is_outcome(outcome))
    return Error{kWhat, action_name(action_row),
                 "'" + std::string(to_string(outcome)) + "' is not an outcome"};
  std::initializer_list<ActionState> from = {ActionState::kIntent, ActionState::kApplied,
                                             ActionState::kVerified};
  std::initializer_list<ActionState> from_finished = {ActionState::kIntent, ActionState::kApplied,
                                                      ActionState::kVerified, ActionState::kSucceeded,
                                                      ActionState::kFailed};
  return guarded(kWhat, path_, [&]() -> Status {
    return advance(*db_, kWhat, action_row, outcome == ActionState::kRolledBack ? from_finished : from,
                   "UPDATE actions SET state = ?, error = ?, reason = ?, finished_at = ? WHERE id = ?",
                   [&](SQLite::Statement& s) {
                     s.bind(1, std::string(to_string(outcome)));
                     s.bind(2, std::string(error));
                     s.bind(3, std::string(reason));
                     s.bind(4, to_ms(now()));
                   });
  });
}

Result<std::vector<ActionRecord>> Journal::actions_in_flight() {
  return guarded("list the actions in flight", path_, [&]() -> Result<std::vector<ActionRecord>> {
    SQLite::Statement query(*db_,
                            std::string("SELECT ") + kActionColumns +
                                " FROM actions WHERE state IN ('intent', 'applied', 'verified') ORDER BY id");
    return read_actions(query);
  });
}

Result<std::vector<ActionRecord>> Journal::history(TimePoint since) {
  return guarded("read the action history", path_, [&]() -> Result<std::vector<ActionRecord>> {
    SQLite::Statement query(*db_, std::string("SELECT ") + kActionColumns +
                                      " FROM actions WHERE intent_at >= ? ORDER BY intent_at, id");
    query.bind(1, to_ms(since));
    return read_actions(query);
  });
}

Result<std::optional<ActionRecord>> Journal::find_action(std::int64_t action_row) {
  return guarded("find an action", path_, [&]() -> Result<std::optional<ActionRecord>> {
    SQLite::Statement query(*db_, std::string("SELECT ") + kActionColumns + " FROM actions WHERE id = ?");
    query.bind(1, action_row);
    if (!query.executeStep()) return std::optional<ActionRecord>();
    return std::optional<ActionRecord>(read_action(query));
  });
}

Result<int> Journal::count_actions_since(TimePoint since) {
  return guarded("count recent actions", path_, [&]() -> Result<int> {
    SQLite::Statement query(*db_,
                            "SELECT COUNT(*) FROM actions WHERE intent_at >= ? "
                            "AND state NOT IN ('skipped', 'precondition-failed')");
    query.bind(1, to_ms(since));
    query.executeStep();
    return query.getColumn(0).getInt();
  });
}

Result<std::optional<TimePoint>> Journal::last_change(std::string_view action, std::string_view target) {
  return guarded("find the last change by an action", path_, [&]() -> Result<std::optional<TimePoint>> {
    SQLite::Statement query(
        *db_,
        "SELECT MAX(finished_at) FROM actions WHERE action = ? AND target = ? AND "
        "(state = 'succeeded' OR (state IN ('failed', 'rolled-back') AND applied_at IS NOT NULL))");
    query.bind(1, std::string(action));
    query.bind(2, std::string(target));
    query.executeStep();
    return optional_time(query.getColumn(0));
  });
}

Result<int> Journal::recurrences_after_success(std::string_view finding, TimePoint since) {
  return guarded("count the recurrences of a finding", path_, [&]() -> Result<int> {
    SQLite::Statement query(
        *db_,
        "SELECT COUNT(*) FROM findings f WHERE f.finding = ?1 AND f.seen_at >= ?2 AND EXISTS ("
        "SELECT 1 FROM actions a WHERE a.finding = ?1 AND a.state = 'succeeded' "
        "AND a.finished_at >= ?2 AND a.finished_at <= f.seen_at)");
    query.bind(1, std::string(finding));
    query.bind(2, to_ms(since));
    query.executeStep();
    return query.getColumn(0).getInt();
  });
}

Status Journal::record_observations(const Observations& observations) {
  return guarded("record observations", path_, [&]() -> Status {
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement seen(*db_,
                           "INSERT INTO events_seen (symptom, channel, seen_count, first_seen, last_seen) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (symptom, channel) DO UPDATE SET "
                           "seen_count = seen_count + excluded.seen_count, "
                           "first_seen = MIN(first_seen, excluded.first_seen), "
                           "last_seen = MAX(last_seen, excluded.last_seen)");
    for (const auto& e : observations.events) {
      seen.bind(1, e.symptom);
      seen.bind(2, e.channel);
      seen.bind(3, e.count);
      seen.bind(4, to_ms(e.first_seen));
      seen.bind(5, to_ms(e.last_seen));
      seen.exec();
      seen.reset();
    }
    SQLite::Statement finding(*db_,
                              "INSERT INTO findings (host, finding, target, severity, evidence, seen_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& f : observations.findings) {
      finding.bind(1, f.host);
      finding.bind(2, f.finding);
      finding.bind(3, f.target);
      finding.bind(4, f.severity);
      finding.bind(5, f.evidence.empty() ? std::string("{}") : f.evidence);
      finding.bind(6, to_ms(f.seen_at));
      finding.exec();
      finding.reset();
    }
    SQLite::Statement bookmark(*db_,
                               "INSERT INTO bookmarks (channel, bookmark, updated_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (channel) DO UPDATE SET bookmark = excluded.bookmark, "
                               "updated_at = excluded.updated_at");
    for (const auto& b : observations.bookmarks) {
      bookmark.bind(1, b.channel);
      bookmark.bind(2, b.bookmark);
      bookmark.bind(3, to_ms(now()));
      bookmark.exec();
      bookmark.reset();
    }
    transaction.commit();
    return Ok{};
  });
}

Result<std::vector<EventsSeen>> Journal::events_seen() {
  return guarded("read the events seen", path_, [&]() -> Result<std::vector<EventsSeen>> {
    SQLite::Statement query(*db_,
                            "SELECT symptom, channel, seen_count, first_seen, last_seen FROM events_seen "
                            "ORDER BY symptom, channel");
    std::vector<EventsSeen> rows;
    while (query.executeStep())
      rows.push_back({text(query.getColumn(0)), text(query.getColumn(1)), query.getColumn(2).getInt64(),
                      from_ms(query.getColumn(3).getInt64()), from_ms(query.getColumn(4).getInt64())});
    return rows;
  });
}

Result<std::vector<Finding>> Journal::findings_since(TimePoint since) {
  return guarded("read the findings", path_, [&]() -> Result<std::vector<Finding>> {
    SQLite::Statement query(*db_,
                            "SELECT id, host, finding, target, severity, evidence, seen_at FROM findings "
                            "WHERE seen_at >= ? ORDER BY seen_at, id");
    query.bind(1, to_ms(since));
    std::vector<Finding> rows;
    while (query.executeStep())
      rows.push_back({query.getColumn(0).getInt64(), text(query.getColumn(1)), text(query.getColumn(2)),
                      text(query.getColumn(3)), text(query.getColumn(4)), text(query.getColumn(5)),
                      from_ms(query.getColumn(6).getInt64())});
    return rows;
  });
}

Result<std::int64_t> Journal::save_plan(const Plan& plan) {
  return guarded("save a plan", path_, [&]() -> Result<std::int64_t> {
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(*db_,
                             "INSERT INTO plans (created_at, updated_at, mode, state, actions, left_out) "
                             "VALUES (?, ?, ?, ?, ?, ?)");
    const std::int64_t created = to_ms(plan.created_at == TimePoint{} ? now() : plan.created_at);
    insert.bind(1, created);
    insert.bind(2, created);
    insert.bind(3, plan.mode);
    insert.bind(4, std::string(to_string(plan.state)));
    insert.bind(5, util::json_text(plan_actions_json(plan)));
    insert.bind(6, util::json_text(plan_left_out_json(plan)));
    insert.exec();
    const std::int64_t id = db_->getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Status Journal::set_plan_state(std::int64_t plan_id, PlanState state) {
  return guarded("change the state of a plan", path_, [&]() -> Status {
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement update(*db_, "UPDATE plans SET state = ?, updated_at = ? WHERE id = ?");
    update.bind(1, std::string(to_string(state)));
    update.bind(2, to_ms(now()));
    update.bind(3, plan_id);
    if (update.exec() == 0)
      return Error{"change the state of a plan", "plan " + std::to_string(plan_id),
                   "no such plan in the journal"};
    transaction.commit();
    return Ok{};
  });
}

Result<std::optional<Plan>> Journal::find_plan(std::int64_t plan_id) {
  return guarded("find a plan", path_, [&]() -> Result<std::optional<Plan>> {
    SQLite::Statement query(*db_,
                            "SELECT id, created_at, mode, state, actions, left_out FROM plans WHERE id = ?");
    query.bind(1, plan_id);
    if (!query.executeStep()) return std::optional<Plan>();
    Plan plan;
    plan.id = query.getColumn(0).getInt64();
    plan.created_at = from_ms(query.getColumn(1).getInt64());
    plan.mode = text(query.getColumn(2));
    const std::string state = text(query.getColumn(3));
    const auto parsed = parse_plan_state(state);
    if (!parsed)
      return Error{"find a plan", "plan " + std::to_string(plan_id), "unknown state '" + state + "'"};
    plan.state = *parsed;
    for (const auto& a : nlohmann::json::parse(text(query.getColumn(4))))
      plan.actions.push_back({a.at("action").get<std::string>(), a.at("target").get<std::string>(),
                              a.at("finding").get<std::string>()});
    for (const auto& l : nlohmann::json::parse(text(query.getColumn(5))))
      plan.left_out.push_back({l.at("action").get<std::string>(), l.at("target").get<std::string>(),
                               l.at("reason").get<std::string>()});
    return std::optional<Plan>(std::move(plan));
  });
}

Result<std::optional<Plan>> Journal::latest_proposed_plan() {
  auto id = guarded("find the latest proposed plan", path_, [&]() -> Result<std::optional<std::int64_t>> {
    SQLite::Statement query(*db_, "SELECT MAX(id) FROM plans WHERE state = 'proposed'");
    query.executeStep();
    if (query.getColumn(0).isNull()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(query.getColumn(0).getInt64());
  });
  if (!id) return id.error();
  if (!id.value()) return std::optional<Plan>();
  return find_plan(*id.value());
}

Status Journal::save_bookmark(const Bookmark& bookmark) {
  Observations observations;
  observations.bookmarks.push_back(bookmark);
  return record_observations(observations);
}

Result<std::optional<std::string>> Journal::load_bookmark(std::string_view channel) {
  return guarded("load an event bookmark", path_, [&]() -> Result<std::optional<std::string>> {
    SQLite::Statement query(*db_, "SELECT bookmark FROM bookmarks WHERE channel = ?");
    query.bind(1, std::string(channel));
    if (!query.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(text(query.getColumn(0)));
  });
}

Result<std::int64_t> Journal::save_policy_snapshot(std::string_view policy_json) {
  return guarded("save a policy snapshot", path_, [&]() -> Result<std::int64_t> {
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(*db_, "INSERT INTO policy_snapshots (taken_at, policy) VALUES (?, ?)");
    insert.bind(1, to_ms(now()));
    insert.bind(2, std::string(policy_json));
    insert.exec();
    const std::int64_t id = db_->getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Result<std::optional<std::string>> Journal::latest_policy_snapshot() {
  return guarded("read the latest policy snapshot", path_, [&]() -> Result<std::optional<std::string>> {
    SQLite::Statement query(*db_, "SELECT policy FROM policy_snapshots ORDER BY id DESC LIMIT 1");
    if (!query.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(text(query.getColumn(0)));
  });
}

Result<std::int64_t> Journal::record_audit(std::string_view kind, std::string_view message,
                                           std::string_view detail) {
  return guarded("record an audit entry", path_, [&]() -> Result<std::int64_t> {
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(*db_, "INSERT INTO audit (at, kind, message, detail) VALUES (?, ?, ?, ?)");
    insert.bind(1, to_ms(now()));
    insert.bind(2, std::string(kind));
    insert.bind(3, std::string(message));
    insert.bind(4, std::string(detail));
    insert.exec();
    const std::int64_t id = db_->getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Result<std::vector<AuditEntry>> Journal::audit_since(TimePoint since) {
  return guarded("read the audit entries", path_, [&]() -> Result<std::vector<AuditEntry>> {
    SQLite::Statement query(*db_,
                            "SELECT id, at, kind, message, detail FROM audit WHERE at >= ? ORDER BY at, id");
    query.bind(1, to_ms(since));
    std::vector<AuditEntry> rows;
    while (query.executeStep())
      rows.push_back({query.getColumn(0).getInt64(), from_ms(query.getColumn(1).getInt64()),
                      text(query.getColumn(2)), text(query.getColumn(3)), text(query.getColumn(4))});
    return rows;
  });
}

Result<PruneCounts> Journal::prune(std::chrono::days retention) {
  return guarded("prune the journal", path_, [&]() -> Result<PruneCounts> {
    const std::int64_t cutoff = to_ms(now() - retention);
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto run = [&](const char* sql) {
      SQLite::Statement statement(*db_, sql);
      statement.bind(1, cutoff);
      return statement.exec();
    };
    PruneCounts counts;
    counts.actions =
        run("DELETE FROM actions WHERE state NOT IN ('intent', 'applied', 'verified') "
            "AND COALESCE(finished_at, intent_at) < ?");
    counts.findings = run("DELETE FROM findings WHERE seen_at < ?");
    counts.plans =
        run("DELETE FROM plans WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM actions WHERE plan_id = "
            "plans.id)");
    counts.events_seen = run("DELETE FROM events_seen WHERE last_seen < ?");
    counts.audit = run("DELETE FROM audit WHERE at < ?");
    counts.policy_snapshots = run(
        "DELETE FROM policy_snapshots WHERE taken_at < ? AND id <> (SELECT MAX(id) FROM policy_snapshots)");
    transaction.commit();
    return counts;
  });
}

}  // namespace rdpmend::journal
