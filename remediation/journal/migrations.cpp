#include "journal/migrations.h"

#include <array>

namespace rdpmend::journal {
namespace {

// Times are UTC milliseconds since 1970-01-01 (INTEGER). JSON columns hold text written by the engine.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE events_seen (
  symptom    TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  seen_count INTEGER NOT NULL DEFAULT 0,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (symptom, channel)
);
CREATE TABLE findings (
  id       INTEGER PRIMARY KEY,
  host     TEXT    NOT NULL,
  finding  TEXT    NOT NULL,
  target   TEXT    NOT NULL DEFAULT '',
  severity TEXT    NOT NULL,
  evidence TEXT    NOT NULL DEFAULT '{}',
  seen_at  INTEGER NOT NULL
);
CREATE INDEX findings_by_kind ON findings (finding, seen_at);
CREATE TABLE plans (
  id         INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  mode       TEXT    NOT NULL,
  state      TEXT    NOT NULL CHECK (state IN ('proposed', 'approved', 'executed', 'rejected')),
  actions    TEXT    NOT NULL DEFAULT '[]',
  left_out   TEXT    NOT NULL DEFAULT '[]'
);
CREATE TABLE actions (
  id              INTEGER PRIMARY KEY,
  plan_id         INTEGER REFERENCES plans (id) ON DELETE SET NULL,
  action          TEXT    NOT NULL,
  target          TEXT    NOT NULL,
  finding         TEXT    NOT NULL DEFAULT '',
  idempotency_key TEXT    NOT NULL UNIQUE,
  state           TEXT    NOT NULL CHECK (state IN ('intent', 'precondition-failed', 'applied', 'verified',
                                                    'succeeded', 'failed', 'rolled-back', 'skipped')),
  reason          TEXT    NOT NULL DEFAULT '',
  backup          BLOB,
  before_state    TEXT,
  after_state     TEXT,
  error           TEXT    NOT NULL DEFAULT '',
  intent_at       INTEGER NOT NULL,
  backup_at       INTEGER,
  applied_at      INTEGER,
  verified_at     INTEGER,
  finished_at     INTEGER
);
CREATE INDEX actions_by_time ON actions (intent_at);
CREATE INDEX actions_by_target ON actions (action, target, state, finished_at);
CREATE INDEX actions_by_finding ON actions (finding, state, finished_at);
CREATE TABLE policy_snapshots (
  id       INTEGER PRIMARY KEY,
  taken_at INTEGER NOT NULL,
  policy   TEXT    NOT NULL
);
CREATE TABLE bookmarks (
  channel    TEXT    PRIMARY KEY,
  bookmark   TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE audit (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  kind    TEXT    NOT NULL,
  message TEXT    NOT NULL,
  detail  TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_time ON audit (at);
)sql";

// Restarts the session guard or the maintenance window held back (pending_restarts.h). One pending hold per
// service: a newer one supersedes it.
constexpr std::string_view kMigration2 = R"sql(
CREATE TABLE pending_restarts (
  id            INTEGER PRIMARY KEY,
  action        TEXT    NOT NULL,
  target        TEXT    NOT NULL,
  findings      TEXT    NOT NULL DEFAULT '[]',
  plan_id       INTEGER REFERENCES plans (id) ON DELETE SET NULL,
  state         TEXT    NOT NULL CHECK (state IN ('pending', 'ran', 'superseded')),
  reason        TEXT    NOT NULL,
  detail        TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  ran_as        INTEGER REFERENCES actions (id) ON DELETE SET NULL,
  superseded_by INTEGER REFERENCES pending_restarts (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX pending_restarts_one_per_service ON pending_restarts (action, target)
  WHERE state = 'pending';
CREATE INDEX pending_restarts_by_time ON pending_restarts (updated_at);
)sql";

constexpr std::array<std::string_view, 2> kMigrations = {kMigration1, kMigration2};

}  // namespace

std::span<const std::string_view> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

}  // namespace rdpmend::journal
