// The restarts held back: one pending hold per service, a newer hold supersedes it, a run ends it, pruning
// keeps what is pending, and a journal written before holds existed gets their table.

#include "journal/pending_restarts.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include "journal/journal.h"
#include "journal/migrations.h"
#include "journal_test_support.h"

namespace rdpmend::journal {
namespace {

using plan::SkipReason;
using std::chrono::hours;

class PendingRestarts : public test::JournalFolder {};

TEST_F(PendingRestarts, AHoldIsPendingUntilTheServiceRestarts) {
  Journal journal = open_journal();
  auto id = journal.restarts().hold("restart-rdp-service", "TermService", {"rdp-cert-expired"}, std::nullopt,
                                    SkipReason::kActiveSessions, "1 active and 0 disconnected sessions");
  ASSERT_TRUE(id) << id.error().message();
  auto pending = journal.restarts().pending().value();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, id.value());
  EXPECT_EQ(pending[0].findings, std::vector<std::string>{"rdp-cert-expired"});
  EXPECT_EQ(pending[0].reason, SkipReason::kActiveSessions);
  EXPECT_EQ(pending[0].created_at, now_);
  EXPECT_FALSE(pending[0].plan_id);

  now_ += hours(1);
  ASSERT_TRUE(journal.restarts().still_held(id.value(), SkipReason::kMaintenanceWindow, "outside"));
  pending = journal.restarts().pending().value();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].reason, SkipReason::kMaintenanceWindow);
  EXPECT_EQ(pending[0].updated_at, now_);
  EXPECT_EQ(pending[0].created_at, now_ - hours(1));

  // Another service's restart leaves it; this one's ends it.
  auto row = journal.actions().record_intent({std::nullopt, "restart-rdp-service", "TermService", "", "k1"});
  ASSERT_TRUE(row);
  ASSERT_TRUE(journal.restarts().ran("xrdp", row.value().action_row));
  EXPECT_EQ(journal.restarts().pending().value().size(), 1u);
  ASSERT_TRUE(journal.restarts().ran("TermService", row.value().action_row));
  EXPECT_TRUE(journal.restarts().pending().value().empty());
  auto all = journal.restarts().history({}).value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, HoldState::kRan);
  EXPECT_EQ(all[0].ran_as, row.value().action_row);
  EXPECT_EQ(all[0].finished_at, now_);
  // An ended hold is no longer updated.
  EXPECT_FALSE(journal.restarts().still_held(id.value(), SkipReason::kActiveSessions, ""));
}

TEST_F(PendingRestarts, ANewerHoldSupersedesTheOneOnTheSameService) {
  Journal journal = open_journal();
  auto first = journal.restarts().hold("restart-rdp-service", "xrdp", {}, std::nullopt,
                                       SkipReason::kActiveSessions, "");
  auto other = journal.restarts().hold("restart-rdp-service", "TermService", {}, std::nullopt,
                                       SkipReason::kActiveSessions, "");
  auto second = journal.restarts().hold("restart-rdp-service", "xrdp", {"xrdp-key-unreadable"}, std::nullopt,
                                        SkipReason::kCooldown, "");
  ASSERT_TRUE(first && other && second);
  auto pending = journal.restarts().pending().value();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].id, other.value());
  EXPECT_EQ(pending[1].id, second.value());
  auto all = journal.restarts().history({}).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].state, HoldState::kSuperseded);
  EXPECT_EQ(all[0].superseded_by, second.value());
}

TEST_F(PendingRestarts, PruningKeepsWhatIsPending) {
  Journal journal = open_journal();
  auto old_pending = journal.restarts().hold("restart-rdp-service", "TermService", {}, std::nullopt,
                                             SkipReason::kActiveSessions, "");
  auto ended = journal.restarts().hold("restart-rdp-service", "xrdp", {}, std::nullopt,
                                       SkipReason::kActiveSessions, "");
  ASSERT_TRUE(old_pending && ended);
  auto row = journal.actions().record_intent({std::nullopt, "restart-rdp-service", "xrdp", "", "k1"});
  ASSERT_TRUE(journal.restarts().ran("xrdp", row.value().action_row));
  now_ += hours(24 * 100);
  auto pruned = journal.prune(std::chrono::days(30));
  ASSERT_TRUE(pruned) << pruned.error().message();
  EXPECT_EQ(pruned.value().restart_holds, 1);
  auto left = journal.restarts().history({}).value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, old_pending.value());
}

TEST_F(PendingRestarts, AJournalFromBeforeHoldsGetsTheirTable) {
  { Journal journal = open_journal(); }
  {
    SQLite::Database raw(path_, SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE pending_restarts");
    raw.exec("PRAGMA user_version = 1");
  }
  Journal journal = open_journal();
  EXPECT_EQ(journal.schema_version(), latest_schema_version());
  EXPECT_TRUE(journal.restarts().hold("restart-rdp-service", "xrdp", {}, std::nullopt,
                                      SkipReason::kActiveSessions, ""));
}

TEST_F(PendingRestarts, AHoldNeedsAnActionAndATarget) {
  Journal journal = open_journal();
  EXPECT_FALSE(journal.restarts().hold("", "xrdp", {}, std::nullopt, SkipReason::kActiveSessions, ""));
  EXPECT_FALSE(
      journal.restarts().hold("restart-rdp-service", "", {}, std::nullopt, SkipReason::kActiveSessions, ""));
  EXPECT_TRUE(journal.restarts().pending().value().empty());
}

}  // namespace
}  // namespace rdpmend::journal
