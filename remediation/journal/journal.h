#pragma once
// The journal: the engine's durable memory, one SQLite database (WAL, synchronous=FULL, foreign keys on),
// in parts that share its connection, one per concern:
//   actions()       the action log: intent, backup, verification and outcome of every change (action_log.h)
//   plans()         what each pass decided to run and left out (plans.h)
//   observations()  events seen, findings and event bookmarks (observations.h)
//   audit()         the audit trail of gaps and alerts, and the policy snapshots (audit.h)
//   restarts()      the restarts held back until the sessions end or the window opens (pending_restarts.h)
// This file opens it (file protection, integrity, migrations) and prunes it across all tables.
//
// Every call returns a value: a corrupt database, a locked one, a newer schema or unsafe file permissions are
// Error values saying so (no exception escapes), and the caller then keeps observing but changes nothing.
// The file is protected by journal/file_protection.h (0600 root on Linux, SYSTEM/Administrators on Windows).
// Default locations (the caller passes the path): /var/lib/rdpmend/journal.db,
// %ProgramData%\RdpMend\journal.db.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "journal/action_log.h"
#include "journal/audit.h"
#include "journal/observations.h"
#include "journal/pending_restarts.h"
#include "journal/plans.h"
#include "journal/states.h"
#include "journal/time.h"

namespace rdpmend::journal {

// The steps of creating a journal that is not there yet (see Journal::open).
enum class CreationStep {
  kDraftCreated,  // an empty, protected draft exists next to where the journal will be
  kDraftBuilt,    // the draft has the whole schema and is closed
  kInstalled,     // the draft is the journal
};

struct Options {
  std::chrono::milliseconds busy_timeout{5000};  // wait this long for another connection's lock
  std::function<TimePoint()> now;                // the clock for recorded times; unset: system_clock
  // Tests only: called after each creation step (a crash-injection test aborts there).
  std::function<void(CreationStep)> after_creation_step;
};

struct PruneCounts {
  int actions = 0;
  int findings = 0;
  int plans = 0;
  int events_seen = 0;
  int policy_snapshots = 0;
  int audit = 0;
  int restart_holds = 0;
};

class Journal {
 public:
  // Opens or creates the database at `path` (the folder must exist), checks its permissions, sets WAL and
  // synchronous=FULL, checks its integrity and applies the missing migrations. A database written by a newer
  // RdpMend is refused, and so is an empty file (someone's lost history, never re-created). A missing journal
  // is built whole as a draft in the same folder and moved into place without replacing anything, so a crash
  // while creating it leaves no journal or a complete one, never an empty file that every later start would
  // refuse. Drafts a crash left are removed once they are ten minutes old.
  static Result<Journal> open(const std::string& path, Options options = {});

  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  ~Journal();

  const std::string& path() const;
  int schema_version() const;

  ActionLog& actions() { return actions_; }
  PlanLog& plans() { return plans_; }
  ObservationLog& observations() { return observations_; }
  AuditLog& audit() { return audit_; }
  PendingRestartLog& restarts() { return restarts_; }

  // Deletes what is older than `retention`: finished actions, findings, plans without actions, events seen,
  // audit entries, ended restart holds and policy snapshots (the latest snapshot stays). Actions in flight
  // and pending holds are never pruned.
  Result<PruneCounts> prune(std::chrono::days retention);

 private:
  explicit Journal(std::unique_ptr<Connection> connection);
  static Result<Journal> open_once(const std::string& path, Options options);
  static Status create(const std::string& path, const Options& options);

  // On the heap, so the parts' pointers to it survive a move of the Journal.
  std::unique_ptr<Connection> connection_;
  ActionLog actions_;
  PlanLog plans_;
  ObservationLog observations_;
  AuditLog audit_;
  PendingRestartLog restarts_;
};

}  // namespace rdpmend::journal
