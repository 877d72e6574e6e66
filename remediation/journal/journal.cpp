#include "journal/journal.h"

#include <filesystem>
#include <utility>

#include "journal/connection.h"
#include "journal/file_protection.h"
#include "journal/migrations.h"
#include "security/trusted_file.h"

namespace rdpmend::journal {

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
    auto connection = std::make_unique<Connection>(Connection{path, std::move(options.now), std::move(db)});
    return Journal(std::move(connection));
  });
}

Journal::Journal(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)),
      actions_(*connection_),
      plans_(*connection_),
      observations_(*connection_),
      audit_(*connection_) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

const std::string& Journal::path() const {
  return connection_->path;
}

int Journal::schema_version() const {
  try {
    return connection_->db->execAndGet("PRAGMA user_version").getInt();
  } catch (const std::exception&) {
    return -1;
  }
}

Result<PruneCounts> Journal::prune(std::chrono::days retention) {
  return guarded("prune the journal", connection_->path, [&]() -> Result<PruneCounts> {
    const std::int64_t cutoff = to_ms(connection_->now() - retention);
    SQLite::Database& db = *connection_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    auto run = [&](const std::string& sql) {
      SQLite::Statement statement(db, sql);
      statement.bind(1, cutoff);
      return statement.exec();
    };
    PruneCounts counts;
    counts.actions = run("DELETE FROM actions WHERE " + state_not_in("state", kInFlight) +
                         " AND COALESCE(finished_at, intent_at) < ?");
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
