#include "journal/pending_restarts.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "journal/connection.h"
#include "util/json_text.h"

namespace rdpmend::journal {
namespace {

constexpr const char* kHoldColumns =
    "id, action, target, findings, plan_id, state, reason, detail, created_at, updated_at, finished_at, "
    "ran_as, superseded_by";

std::optional<std::int64_t> optional_id(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

RestartHold read_hold(SQLite::Statement& row) {
  RestartHold hold;
  hold.id = row.getColumn(0).getInt64();
  hold.action = text(row.getColumn(1));
  hold.target = text(row.getColumn(2));
  auto findings = nlohmann::json::parse(text(row.getColumn(3)), nullptr, false);
  if (findings.is_array())
    for (const auto& f : findings)
      if (f.is_string()) hold.findings.push_back(f.get<std::string>());
  hold.plan_id = optional_id(row.getColumn(4));
  const std::string state = text(row.getColumn(5));
  const auto parsed = parse_hold_state(state);
  if (!parsed)
    throw std::runtime_error("held restart " + std::to_string(hold.id) + " has an unknown state '" + state +
                             "'");
  hold.state = *parsed;
  const std::string reason = text(row.getColumn(6));
  const auto why = plan::skip_reason_from_id(reason);
  if (!why)
    throw std::runtime_error("held restart " + std::to_string(hold.id) + " has an unknown reason '" + reason +
                             "'");
  hold.reason = *why;
  hold.detail = text(row.getColumn(7));
  hold.created_at = from_ms(row.getColumn(8).getInt64());
  hold.updated_at = from_ms(row.getColumn(9).getInt64());
  hold.finished_at = optional_time(row.getColumn(10));
  hold.ran_as = optional_id(row.getColumn(11));
  hold.superseded_by = optional_id(row.getColumn(12));
  return hold;
}

std::vector<RestartHold> read_holds(SQLite::Statement& query) {
  std::vector<RestartHold> holds;
  while (query.executeStep()) holds.push_back(read_hold(query));
  return holds;
}

// The pending hold's id for the action and target, if there is one.
std::optional<std::int64_t> pending_id(SQLite::Database& db, std::string_view action,
                                       std::string_view target) {
  SQLite::Statement query(db, "SELECT id FROM pending_restarts WHERE action = ? AND target = ? AND " +
                                  state_in("state", {HoldState::kPending}));
  query.bind(1, std::string(action));
  query.bind(2, std::string(target));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

}  // namespace

Result<std::int64_t> PendingRestartLog::hold(std::string_view action, std::string_view target,
                                             const std::vector<std::string>& findings,
                                             std::optional<std::int64_t> plan_id, plan::SkipReason reason,
                                             std::string_view detail) {
  const char* const kWhat = "record a held-back restart";
  if (action.empty() || target.empty())
    return Error{kWhat, c_->path, "a hold needs an action id and a target"};
  return guarded(kWhat, c_->path, [&]() -> Result<std::int64_t> {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t now = to_ms(c_->now());
    const auto older = pending_id(db, action, target);
    if (older) {
      // Out of the unique index's way before the new hold is inserted; superseded_by is set below.
      SQLite::Statement end(
          db, "UPDATE pending_restarts SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?");
      end.bind(1, std::string(to_string(HoldState::kSuperseded)));
      end.bind(2, now);
      end.bind(3, now);
      end.bind(4, *older);
      end.exec();
    }
    SQLite::Statement insert(
        db,
        "INSERT INTO pending_restarts (action, target, findings, plan_id, state, reason, "
        "detail, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, std::string(action));
    insert.bind(2, std::string(target));
    insert.bind(3, util::json_text(nlohmann::json(findings)));
    if (plan_id)
      insert.bind(4, *plan_id);
    else
      insert.bind(4);
    insert.bind(5, std::string(to_string(HoldState::kPending)));
    insert.bind(6, std::string(plan::skip_reason_id(reason)));
    insert.bind(7, std::string(detail));
    insert.bind(8, now);
    insert.bind(9, now);
    insert.exec();
    const std::int64_t id = db.getLastInsertRowid();
    if (older) {
      SQLite::Statement link(db, "UPDATE pending_restarts SET superseded_by = ? WHERE id = ?");
      link.bind(1, id);
      link.bind(2, *older);
      link.exec();
    }
    transaction.commit();
    return id;
  });
}

Status PendingRestartLog::still_held(std::int64_t hold_id, plan::SkipReason reason, std::string_view detail) {
  const char* const kWhat = "update a held-back restart";
  return guarded(kWhat, c_->path, [&]() -> Status {
    SQLite::Statement update(
        *c_->db, "UPDATE pending_restarts SET reason = ?, detail = ?, updated_at = ? WHERE id = ? AND " +
                     state_in("state", {HoldState::kPending}));
    update.bind(1, std::string(plan::skip_reason_id(reason)));
    update.bind(2, std::string(detail));
    update.bind(3, to_ms(c_->now()));
    update.bind(4, hold_id);
    if (update.exec() == 0)
      return Error{kWhat, "held restart " + std::to_string(hold_id), "no such pending hold in the journal"};
    return Ok{};
  });
}

Status PendingRestartLog::ran(std::string_view target, std::int64_t action_row) {
  return guarded("end a held-back restart", c_->path, [&]() -> Status {
    SQLite::Statement update(
        *c_->db,
        "UPDATE pending_restarts SET state = ?, ran_as = ?, updated_at = ?, finished_at = ? "
        "WHERE target = ? AND " +
            state_in("state", {HoldState::kPending}));
    const std::int64_t now = to_ms(c_->now());
    update.bind(1, std::string(to_string(HoldState::kRan)));
    update.bind(2, action_row);
    update.bind(3, now);
    update.bind(4, now);
    update.bind(5, std::string(target));
    update.exec();
    return Ok{};
  });
}

Result<std::vector<RestartHold>> PendingRestartLog::pending() {
  return guarded("list the held-back restarts", c_->path, [&]() -> Result<std::vector<RestartHold>> {
    SQLite::Statement query(*c_->db, std::string("SELECT ") + kHoldColumns + " FROM pending_restarts WHERE " +
                                         state_in("state", {HoldState::kPending}) + " ORDER BY id");
    return read_holds(query);
  });
}

Result<std::vector<RestartHold>> PendingRestartLog::history(TimePoint since) {
  return guarded("read the held-back restarts", c_->path, [&]() -> Result<std::vector<RestartHold>> {
    SQLite::Statement query(*c_->db, std::string("SELECT ") + kHoldColumns +
                                         " FROM pending_restarts WHERE updated_at >= ? OR " +
                                         state_in("state", {HoldState::kPending}) + " ORDER BY id");
    query.bind(1, to_ms(since));
    return read_holds(query);
  });
}

}  // namespace rdpmend::journal
