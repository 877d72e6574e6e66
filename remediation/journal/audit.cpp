#include "journal/audit.h"

#include "journal/connection.h"

namespace rdpmend::journal {

Result<std::int64_t> AuditLog::record(std::string_view kind, std::string_view message,
                                      std::string_view detail) {
  return guarded("record an audit entry", c_->path, [&]() -> Result<std::int64_t> {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(db, "INSERT INTO audit (at, kind, message, detail) VALUES (?, ?, ?, ?)");
    insert.bind(1, to_ms(c_->now()));
    insert.bind(2, std::string(kind));
    insert.bind(3, std::string(message));
    insert.bind(4, std::string(detail));
    insert.exec();
    const std::int64_t id = db.getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Result<std::vector<AuditEntry>> AuditLog::since(TimePoint start) {
  return guarded("read the audit entries", c_->path, [&]() -> Result<std::vector<AuditEntry>> {
    SQLite::Statement query(*c_->db,
                            "SELECT id, at, kind, message, detail FROM audit WHERE at >= ? ORDER BY at, id");
    query.bind(1, to_ms(start));
    std::vector<AuditEntry> rows;
    while (query.executeStep())
      rows.push_back({query.getColumn(0).getInt64(), from_ms(query.getColumn(1).getInt64()),
                      text(query.getColumn(2)), text(query.getColumn(3)), text(query.getColumn(4))});
    return rows;
  });
}

Result<std::int64_t> AuditLog::save_policy_snapshot(std::string_view policy_json) {
  return guarded("save a policy snapshot", c_->path, [&]() -> Result<std::int64_t> {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(db, "INSERT INTO policy_snapshots (taken_at, policy) VALUES (?, ?)");
    insert.bind(1, to_ms(c_->now()));
    insert.bind(2, std::string(policy_json));
    insert.exec();
    const std::int64_t id = db.getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Result<std::optional<std::string>> AuditLog::latest_policy_snapshot() {
  return guarded("read the latest policy snapshot", c_->path, [&]() -> Result<std::optional<std::string>> {
    SQLite::Statement query(*c_->db, "SELECT policy FROM policy_snapshots ORDER BY id DESC LIMIT 1");
    if (!query.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(text(query.getColumn(0)));
  });
}

}  // namespace rdpmend::journal
