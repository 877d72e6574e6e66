#include "journal/journal.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <utility>

#include "journal/connection.h"
#include "journal/file_protection.h"
#include "journal/migrations.h"
#include "security/trusted_file.h"

namespace rdpmend::journal {

namespace {

constexpr const char* kDraftMarker = ".new-";
constexpr auto kStaleDraftAge = std::chrono::minutes(10);

// A name no other process creating the journal at the same moment uses.
std::string draft_path(const std::string& path) {
  std::random_device random;
  const std::uint64_t token = (std::uint64_t{random()} << 32) ^ random();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(token));
  return path + kDraftMarker + hex;
}

void remove_draft(const std::string& draft) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(draft + suffix, ignored);
}

// A draft (and its companions) that a crash left. Building one takes milliseconds, so ten minutes old is
// nobody's any more. The folder is trusted, so whatever bears the draft name there is ours.
void remove_stale_drafts(const std::string& path) {
  const std::filesystem::path journal(path);
  const std::string prefix = journal.filename().string() + kDraftMarker;
  const auto cutoff = std::filesystem::file_time_type::clock::now() - kStaleDraftAge;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(journal.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    std::error_code time_error;
    const auto written = std::filesystem::last_write_time(it->path(), time_error);
    if (time_error || written > cutoff) continue;
    std::error_code ignored;
    std::filesystem::remove(it->path(), ignored);
  }
}

}  // namespace

Result<Journal> Journal::open(const std::string& path, Options options) {
  // The folder must be one only root (Windows: SYSTEM and Administrators) can change: SQLite opens the files
  // by name, and the trust rule on the folder is what keeps another account from swapping an entry between
  // the checks below and SQLite's open.
  const std::string folder = std::filesystem::absolute(std::filesystem::path(path)).parent_path().string();
  if (auto refused = security::check_trusted(folder, security::Use::kFolder))
    return refused->to_error("check the journal's folder");
  remove_stale_drafts(path);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (auto created = create(path, options); !created) return created.error();
  }
  // SQLite takes an empty file for an empty database: re-creating a journal that is there would lose its
  // history, backups and breaker state, so one that is empty (with no write-ahead log holding its pages) is
  // an error for an administrator to look at. RdpMend itself never leaves one (see create).
  std::error_code wal_missing;
  const auto wal_size = std::filesystem::file_size(path + "-wal", wal_missing);
  if (std::filesystem::file_size(path, ec) == 0 && !ec && (wal_missing || wal_size == 0))
    return Error{
        "open the journal", path,
        "refused: the journal exists but is empty (it is never re-created: move it away to start a new "
        "one)"};
  if (auto prepared = prepare_database_file(path); !prepared) return prepared.error();
  return open_once(path, std::move(options));
}

Status Journal::create(const std::string& path, const Options& options) {
  auto step_done = [&](CreationStep step) {
    if (options.after_creation_step) options.after_creation_step(step);
  };
  const std::string draft = draft_path(path);
  if (auto prepared = prepare_database_file(draft); !prepared) return prepared.error();
  step_done(CreationStep::kDraftCreated);
  {
    auto built = open_once(draft, options);
    if (!built) {
      remove_draft(draft);
      return built.error();
    }
    // Everything into the main file, so the draft's write-ahead log (removed on close) holds nothing.
    auto checkpointed = guarded("write the new journal's schema to its file", draft, [&]() -> Status {
      built.value().connection_->db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
      return Ok{};
    });
    if (!checkpointed) {
      { Journal closing = std::move(built).value(); }
      remove_draft(draft);
      return checkpointed;
    }
  }
  step_done(CreationStep::kDraftBuilt);
  auto installed = install_new_database(draft, path);
  // Not installed: another process put its journal there first, and that one is opened.
  remove_draft(draft);
  if (!installed) return installed.error();
  step_done(CreationStep::kInstalled);
  return Ok{};
}

Result<Journal> Journal::open_once(const std::string& path, Options options) {
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
      audit_(*connection_),
      restarts_(*connection_) {}
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
    counts.restart_holds = run("DELETE FROM pending_restarts WHERE updated_at < ? AND NOT " +
                               state_in("state", {HoldState::kPending}));
    counts.policy_snapshots = run(
        "DELETE FROM policy_snapshots WHERE taken_at < ? AND id <> (SELECT MAX(id) FROM policy_snapshots)");
    transaction.commit();
    return counts;
  });
}

}  // namespace rdpmend::journal
