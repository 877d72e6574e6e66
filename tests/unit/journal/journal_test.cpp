#include "journal/journal.h"

#include <SQLiteCpp/Database.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "journal/file_protection.h"
#include "journal/migrations.h"
#include "journal_test_support.h"

namespace rdpmend::journal {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::HasSubstr;

class JournalTest : public test::JournalFolder {
 protected:
  static Intent intent(std::string key, std::string action = "repair-rdp-key-acl",
                       std::string target = "/etc/xrdp/key.pem",
                       std::string finding = "xrdp-key-unreadable") {
    return Intent{std::nullopt, std::move(action), std::move(target), std::move(finding), std::move(key)};
  }

  // Records an action through to `outcome` and returns its row.
  std::int64_t finished_action(Journal& journal, const std::string& key, ActionState outcome,
                               const std::string& action = "repair-rdp-key-acl",
                               const std::string& target = "/etc/xrdp/key.pem",
                               const std::string& finding = "xrdp-key-unreadable") {
    auto recorded = journal.actions().record_intent(intent(key, action, target, finding));
    EXPECT_TRUE(recorded) << recorded.error().message();
    const std::int64_t row = recorded.value().action_row;
    if (outcome == ActionState::kSucceeded || outcome == ActionState::kFailed) {
      EXPECT_TRUE(journal.actions().record_backup(row, "mode=0600", R"({"mode":"0600"})"));
      EXPECT_TRUE(journal.actions().record_applied(row));
    }
    if (outcome == ActionState::kSucceeded) {
      EXPECT_TRUE(journal.actions().record_verified(row, R"({"mode":"0640"})"));
    }
    auto done = journal.actions().record_outcome(row, outcome);
    EXPECT_TRUE(done) << done.error().message();
    return row;
  }
};

TEST_F(JournalTest, CreatesTheLatestSchemaFromNothing) {
  Journal journal = open_journal();
  EXPECT_EQ(journal.schema_version(), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 1);

  SQLite::Database raw(path_, SQLite::OPEN_READONLY);
  std::set<std::string> tables;
  SQLite::Statement query(raw, "SELECT name FROM sqlite_master WHERE type = 'table'");
  while (query.executeStep()) tables.insert(query.getColumn(0).getString());
  for (const char* table :
       {"events_seen", "findings", "plans", "actions", "policy_snapshots", "bookmarks", "audit"})
    EXPECT_TRUE(tables.count(table)) << table;
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

// An empty journal is someone's lost history, never a new database: refused, and left as it is.
TEST_F(JournalTest, RefusesAnEmptyExistingFile) {
  ASSERT_TRUE(prepare_database_file(path_));  // an empty file, protected as the journal's
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().detail.find("exists but is empty"), std::string::npos) << opened.error().message();
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);
}

// Killed at any step of creating the journal, the next start opens a whole journal: a crash leaves no
// journal or a complete one, never the empty file every later start would refuse.
class JournalCreationCrash : public test::JournalFolder, public ::testing::WithParamInterface<CreationStep> {
 protected:
  std::vector<std::filesystem::path> drafts() const {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(folder_))
      if (entry.path().filename().string().rfind("journal.db.new-", 0) == 0) found.push_back(entry.path());
    return found;
  }
};

TEST_P(JournalCreationCrash, TheNextStartOpensAWholeJournal) {
  const CreationStep crash_at = GetParam();
  EXPECT_DEATH(
      {
        Options crashing = options();
        crashing.after_creation_step = [crash_at](CreationStep step) {
          if (step == crash_at) std::abort();
        };
        (void)Journal::open(path_, crashing);
      },
      "");
  // What the crash left: the journal is missing or whole, never empty.
  if (std::filesystem::exists(path_)) {
    EXPECT_GT(std::filesystem::file_size(path_), 0u);
  }
  EXPECT_EQ(std::filesystem::exists(path_), crash_at == CreationStep::kInstalled);
  EXPECT_EQ(drafts().empty(), crash_at == CreationStep::kInstalled);

  {
    Journal journal = open_journal();
    EXPECT_EQ(journal.schema_version(), latest_schema_version());
    EXPECT_TRUE(journal.observations().save_bookmark({"System", "<BookmarkList/>"}));
  }
  EXPECT_GT(std::filesystem::file_size(path_), 0u);

  // A draft the crash left stays while it could be another process's; ten minutes old, it is removed.
  const auto left = drafts();
  for (const auto& draft : left)
    std::filesystem::last_write_time(draft, std::filesystem::file_time_type::clock::now() - hours(1));
  { Journal journal = open_journal(); }
  EXPECT_TRUE(drafts().empty());
}

INSTANTIATE_TEST_SUITE_P(EachStep, JournalCreationCrash,
                         ::testing::Values(CreationStep::kDraftCreated, CreationStep::kDraftBuilt,
                                           CreationStep::kInstalled));

// Installing never replaces: a journal that appeared meanwhile (another process's) is kept as it is.
TEST_F(JournalTest, InstallingANewJournalNeverReplacesOne) {
  { Journal journal = open_journal(); }
  const auto size = std::filesystem::file_size(path_);
  const std::string draft = path_ + ".other";
  ASSERT_TRUE(prepare_database_file(draft));
  auto installed = install_new_database(draft, path_);
  ASSERT_TRUE(installed) << installed.error().message();
  EXPECT_FALSE(installed.value());
  EXPECT_EQ(std::filesystem::file_size(path_), size);
  EXPECT_TRUE(std::filesystem::exists(draft));

  const std::string elsewhere = path_ + ".moved";
  auto moved = install_new_database(draft, elsewhere);
  ASSERT_TRUE(moved) << moved.error().message();
  EXPECT_TRUE(moved.value());
  EXPECT_FALSE(std::filesystem::exists(draft));
  EXPECT_TRUE(std::filesystem::exists(elsewhere));
}

TEST_F(JournalTest, ReopeningKeepsTheData) {
  std::int64_t row = 0;
  {
    Journal journal = open_journal();
    row = finished_action(journal, "System:42", ActionState::kSucceeded);
    ASSERT_TRUE(journal.observations().save_bookmark({"System", "<BookmarkList/>"}));
  }
  Journal journal = open_journal();
  auto found = journal.actions().find(row);
  ASSERT_TRUE(found) << found.error().message();
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(found.value()->state, ActionState::kSucceeded);
  EXPECT_EQ(found.value()->backup, "mode=0600");
  auto bookmark = journal.observations().load_bookmark("System");
  ASSERT_TRUE(bookmark);
  EXPECT_EQ(bookmark.value(), "<BookmarkList/>");
}

TEST_F(JournalTest, RefusesADatabaseFromANewerRdpMend) {
  { Journal journal = open_journal(); }
  {
    SQLite::Database raw(path_, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  }
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("newer than this RdpMend knows"));
}

TEST_F(JournalTest, IntentIsDurableBeforeAnyOutcome) {
  std::int64_t intent_only = 0;
  std::int64_t applied = 0;
  {
    Journal journal = open_journal();
    auto recorded = journal.actions().record_intent(intent("System:7"));
    ASSERT_TRUE(recorded);
    intent_only = recorded.value().action_row;
    auto second = journal.actions().record_intent(
        intent("finding:rdp-cert-expired", "regenerate-rdp-cert", "listener"));
    ASSERT_TRUE(second);
    applied = second.value().action_row;
    ASSERT_TRUE(journal.actions().record_backup(applied, std::string("\0\1cert", 6), "{}"));
    ASSERT_TRUE(journal.actions().record_applied(applied));
    finished_action(journal, "System:8", ActionState::kSucceeded);
  }  // a restart: the connection goes away without any outcome for the first two
  Journal journal = open_journal();
  auto in_flight = journal.actions().in_flight();
  ASSERT_TRUE(in_flight) << in_flight.error().message();
  ASSERT_EQ(in_flight.value().size(), 2u);
  EXPECT_EQ(in_flight.value()[0].id, intent_only);
  EXPECT_EQ(in_flight.value()[0].state, ActionState::kIntent);
  EXPECT_EQ(in_flight.value()[1].id, applied);
  EXPECT_EQ(in_flight.value()[1].state, ActionState::kApplied);
  EXPECT_EQ(in_flight.value()[1].backup, std::string("\0\1cert", 6));
  EXPECT_TRUE(in_flight.value()[1].applied_at.has_value());
}

TEST_F(JournalTest, SameTriggerTwiceGivesOneAction) {
  Journal journal = open_journal();
  auto first = journal.actions().record_intent(intent("System:1056"));
  auto second = journal.actions().record_intent(intent("System:1056"));
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_FALSE(first.value().duplicate);
  EXPECT_TRUE(second.value().duplicate);
  EXPECT_EQ(second.value().action_row, first.value().action_row);
  auto history = journal.actions().history(TimePoint{});
  ASSERT_TRUE(history);
  EXPECT_EQ(history.value().size(), 1u);
}

TEST_F(JournalTest, RefusesAnIncompleteIntent) {
  Journal journal = open_journal();
  auto recorded = journal.actions().record_intent(intent(""));
  ASSERT_FALSE(recorded);
  EXPECT_THAT(recorded.error().message(), HasSubstr("idempotency key"));
}

TEST_F(JournalTest, RecordsEveryStepWithItsTime) {
  Journal journal = open_journal();
  auto recorded = journal.actions().record_intent(intent("System:9"));
  ASSERT_TRUE(recorded);
  const std::int64_t row = recorded.value().action_row;
  now_ += minutes(1);
  ASSERT_TRUE(journal.actions().record_backup(row, "backup", R"({"before":1})"));
  now_ += minutes(1);
  ASSERT_TRUE(journal.actions().record_applied(row));
  now_ += minutes(1);
  ASSERT_TRUE(journal.actions().record_verified(row, R"({"after":1})"));
  now_ += minutes(1);
  ASSERT_TRUE(journal.actions().record_outcome(row, ActionState::kSucceeded));
  auto found = journal.actions().find(row);
  ASSERT_TRUE(found && found.value());
  const ActionRecord& a = *found.value();
  EXPECT_EQ(a.action, "repair-rdp-key-acl");
  EXPECT_EQ(a.target, "/etc/xrdp/key.pem");
  EXPECT_EQ(a.idempotency_key, "System:9");
  EXPECT_EQ(a.before_state, R"({"before":1})");
  EXPECT_EQ(a.after_state, R"({"after":1})");
  EXPECT_EQ(*a.backup_at - a.intent_at, minutes(1));
  EXPECT_EQ(*a.applied_at - a.intent_at, minutes(2));
  EXPECT_EQ(*a.verified_at - a.intent_at, minutes(3));
  EXPECT_EQ(*a.finished_at - a.intent_at, minutes(4));

  // A finished action only moves on to rolled-back (the rollback command).
  EXPECT_FALSE(journal.actions().record_applied(row));
  auto again = journal.actions().record_outcome(row, ActionState::kFailed, "late");
  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message(), HasSubstr("already succeeded"));
  ASSERT_TRUE(journal.actions().record_outcome(row, ActionState::kRolledBack, "", "rollback requested"));
  auto rolled = journal.actions().find(row);
  ASSERT_TRUE(rolled && rolled.value());
  EXPECT_EQ(rolled.value()->state, ActionState::kRolledBack);
  EXPECT_EQ(rolled.value()->reason, "rollback requested");
}

TEST_F(JournalTest, RefusesStepsOutOfOrderOrUnknown) {
  Journal journal = open_journal();
  auto recorded = journal.actions().record_intent(intent("System:10"));
  ASSERT_TRUE(recorded);
  EXPECT_FALSE(journal.actions().record_verified(recorded.value().action_row, "{}"));
  EXPECT_FALSE(journal.actions().record_outcome(recorded.value().action_row, ActionState::kApplied));
  auto unknown = journal.actions().record_applied(9999);
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message(), HasSubstr("no such action"));
  auto missing = journal.actions().find(9999);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing.value().has_value());
  auto failed =
      journal.actions().record_outcome(recorded.value().action_row, ActionState::kFailed, "access denied");
  ASSERT_TRUE(failed);
  auto found = journal.actions().find(recorded.value().action_row);
  ASSERT_TRUE(found && found.value());
  EXPECT_EQ(found.value()->error, "access denied");
}

TEST_F(JournalTest, HistoryIsOldestFirstAndStartsAtSince) {
  Journal journal = open_journal();
  const TimePoint start = now_;
  finished_action(journal, "a", ActionState::kSucceeded);
  now_ += hours(1);
  const TimePoint second = now_;
  finished_action(journal, "b", ActionState::kFailed);
  now_ += hours(1);
  finished_action(journal, "c", ActionState::kSkipped);

  auto all = journal.actions().history(start);
  ASSERT_TRUE(all);
  ASSERT_EQ(all.value().size(), 3u);
  EXPECT_EQ(all.value()[0].idempotency_key, "a");
  EXPECT_EQ(all.value()[1].idempotency_key, "b");
  EXPECT_EQ(all.value()[2].idempotency_key, "c");
  auto later = journal.actions().history(second);
  ASSERT_TRUE(later);
  ASSERT_EQ(later.value().size(), 2u);
  EXPECT_EQ(later.value()[0].idempotency_key, "b");
  auto none = journal.actions().history(now_ + minutes(1));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none.value().empty());
}

TEST_F(JournalTest, CountsActionsThatMayHaveChangedSomethingForTheRateLimit) {
  Journal journal = open_journal();
  finished_action(journal, "old", ActionState::kSucceeded);
  now_ += hours(2);
  finished_action(journal, "1", ActionState::kSucceeded);
  finished_action(journal, "2", ActionState::kFailed);
  finished_action(journal, "3", ActionState::kSkipped);
  finished_action(journal, "4", ActionState::kPreconditionFailed);
  ASSERT_TRUE(journal.actions().record_intent(intent("5")));  // in flight counts
  auto count = journal.actions().count_actions_since(now_ - hours(1));
  ASSERT_TRUE(count);
  EXPECT_EQ(count.value(), 3);
}

TEST_F(JournalTest, FindsTheLastChangeForTheCooldown) {
  Journal journal = open_journal();
  auto none = journal.actions().last_change("repair-rdp-key-acl", "/etc/xrdp/key.pem");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none.value().has_value());
  finished_action(journal, "1", ActionState::kSucceeded);
  now_ += minutes(10);
  finished_action(journal, "2", ActionState::kSucceeded);
  now_ += minutes(10);
  const TimePoint failed = now_;
  finished_action(journal, "3", ActionState::kFailed);  // after its backup: a change was attempted
  now_ += minutes(10);
  finished_action(journal, "4", ActionState::kSucceeded, "repair-rdp-key-acl", "/other");
  finished_action(journal, "5", ActionState::kPreconditionFailed);  // changed nothing
  finished_action(journal, "6", ActionState::kSkipped);
  auto last = journal.actions().last_change("repair-rdp-key-acl", "/etc/xrdp/key.pem");
  ASSERT_TRUE(last);
  ASSERT_TRUE(last.value().has_value());
  EXPECT_EQ(*last.value(), failed);

  // An administrator's rollback of a success restarts the cooldown.
  now_ += minutes(10);
  auto row = finished_action(journal, "7", ActionState::kSucceeded);
  now_ += minutes(5);
  ASSERT_TRUE(journal.actions().record_outcome(row, ActionState::kRolledBack));
  EXPECT_EQ(*journal.actions().last_change("repair-rdp-key-acl", "/etc/xrdp/key.pem").value(), now_);
}

TEST_F(JournalTest, CountsFindingsBackAfterASuccessForTheCircuitBreaker) {
  Journal journal = open_journal();
  auto finding = [&](const std::string& kind) {
    Observations o;
    o.findings.push_back({0, "host", kind, "/etc/xrdp/key.pem", "error", R"({"mode":"0600"})", now_});
    ASSERT_TRUE(journal.observations().record(o));
  };
  finding("xrdp-key-unreadable");  // before any fix: not a recurrence
  now_ += minutes(1);
  finished_action(journal, "1", ActionState::kSucceeded);
  for (int i = 0; i < 3; ++i) {
    now_ += hours(1);
    finding("xrdp-key-unreadable");
  }
  finding("xrdp-cert-key-mismatch");  // another finding
  auto back = journal.actions().recurrences_after_success("xrdp-key-unreadable", now_ - hours(24));
  ASSERT_TRUE(back);
  EXPECT_EQ(back.value(), 3);
  auto recent = journal.actions().recurrences_after_success("xrdp-key-unreadable", now_ - minutes(90));
  ASSERT_TRUE(recent);
  EXPECT_EQ(recent.value(), 0);  // the success itself is outside this window
  auto other = journal.actions().recurrences_after_success("xrdp-cert-key-mismatch", now_ - hours(24));
  ASSERT_TRUE(other);
  EXPECT_EQ(other.value(), 0);
}

TEST_F(JournalTest, BookmarksMoveTogetherWithTheObservations) {
  Journal journal = open_journal();
  auto none = journal.observations().load_bookmark("System");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none.value().has_value());
  Observations o;
  o.events.push_back({"rdp-cert-create-failed", "System", 2, now_, now_ + minutes(1)});
  o.bookmarks.push_back({"System", "<BookmarkList><Bookmark RecordId='10'/></BookmarkList>"});
  ASSERT_TRUE(journal.observations().record(o));
  o.events[0] = {"rdp-cert-create-failed", "System", 3, now_ - minutes(5), now_ + minutes(9)};
  o.bookmarks[0].bookmark = "<BookmarkList><Bookmark RecordId='20'/></BookmarkList>";
  ASSERT_TRUE(journal.observations().record(o));
  auto bookmark = journal.observations().load_bookmark("System");
  ASSERT_TRUE(bookmark && bookmark.value());
  EXPECT_EQ(*bookmark.value(), "<BookmarkList><Bookmark RecordId='20'/></BookmarkList>");
  auto seen = journal.observations().events_seen();
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen.value().size(), 1u);
  EXPECT_EQ(seen.value()[0].count, 5);
  EXPECT_EQ(seen.value()[0].first_seen, now_ - minutes(5));
  EXPECT_EQ(seen.value()[0].last_seen, now_ + minutes(9));

  // A failing group leaves the bookmark where it was.
  Observations bad;
  bad.bookmarks.push_back({"System", "<BookmarkList><Bookmark RecordId='30'/></BookmarkList>"});
  bad.findings.push_back({0, "host", "x", "", "error", "{}", now_});
  {
    SQLite::Database raw(path_, SQLite::OPEN_READWRITE);
    raw.exec("CREATE TRIGGER no_findings BEFORE INSERT ON findings BEGIN SELECT RAISE(ABORT, 'test'); END");
  }
  EXPECT_FALSE(journal.observations().record(bad));
  bookmark = journal.observations().load_bookmark("System");
  ASSERT_TRUE(bookmark && bookmark.value());
  EXPECT_EQ(*bookmark.value(), "<BookmarkList><Bookmark RecordId='20'/></BookmarkList>");
}

TEST_F(JournalTest, PlansKeepTheirOrderAndReasons) {
  Journal journal = open_journal();
  plan::Plan plan;
  plan.mode = policy::Mode::kApprove;
  plan.actions = {
      test::chosen_action("repair-rdp-key-acl", "/etc/xrdp/key.pem", "xrdp-key-unreadable"),
      test::left_out_action("regenerate-rdp-cert", "listener", plan::SkipReason::kCooldown, "cooldown"),
      test::chosen_action("restart-rdp-service", "xrdp", "")};
  auto id = journal.plans().save(plan, PlanState::kProposed);
  ASSERT_TRUE(id) << id.error().message();
  ASSERT_TRUE(journal.plans().set_state(id.value(), PlanState::kApproved));
  EXPECT_FALSE(journal.plans().set_state(id.value() + 100, PlanState::kApproved));
  auto found = journal.plans().find(id.value());
  ASSERT_TRUE(found && found.value());
  EXPECT_EQ(found.value()->state, PlanState::kApproved);
  EXPECT_EQ(found.value()->plan.mode, policy::Mode::kApprove);
  EXPECT_EQ(found.value()->created_at, now_);
  ASSERT_EQ(test::chosen(found.value()->plan).size(), 2u);
  EXPECT_EQ(test::chosen(found.value()->plan)[1].action, "restart-rdp-service");
  ASSERT_EQ(test::left_out(found.value()->plan).size(), 1u);
  EXPECT_EQ(test::left_out(found.value()->plan)[0].skip, plan::SkipReason::kCooldown);
  EXPECT_EQ(test::left_out(found.value()->plan)[0].reason, "cooldown");

  Intent in_plan = intent("plan-key");
  in_plan.plan_id = id.value();
  auto recorded = journal.actions().record_intent(in_plan);
  ASSERT_TRUE(recorded);
  auto action = journal.actions().find(recorded.value().action_row);
  ASSERT_TRUE(action && action.value());
  EXPECT_EQ(action.value()->plan_id, id.value());
  in_plan.plan_id = id.value() + 100;  // no such plan: the foreign key refuses it
  in_plan.idempotency_key = "other";
  EXPECT_FALSE(journal.actions().record_intent(in_plan));
}

TEST_F(JournalTest, KeepsPolicySnapshotsAndAuditEntries) {
  Journal journal = open_journal();
  ASSERT_TRUE(journal.audit().save_policy_snapshot(R"({"Mode":"Observe"})"));
  ASSERT_TRUE(journal.audit().save_policy_snapshot(R"({"Mode":"Auto"})"));
  auto latest = journal.audit().latest_policy_snapshot();
  ASSERT_TRUE(latest && latest.value());
  EXPECT_EQ(*latest.value(), R"({"Mode":"Auto"})");
  ASSERT_TRUE(journal.audit().record("event-gap", "records 10-20 missing on System", R"({"from":10})"));
  auto audit = journal.audit().since(TimePoint{});
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit.value().size(), 1u);
  EXPECT_EQ(audit.value()[0].kind, "event-gap");
}

TEST_F(JournalTest, PruneForgetsOldRowsButNeverActionsInFlight) {
  Journal journal = open_journal();
  const std::int64_t old_done = finished_action(journal, "old", ActionState::kSucceeded);
  auto old_in_flight = journal.actions().record_intent(intent("old-in-flight"));
  ASSERT_TRUE(old_in_flight);
  Observations o;
  o.events.push_back({"rdp-listener-failed", "System", 1, now_, now_});
  o.findings.push_back({0, "host", "rdp-cert-expired", "", "error", "{}", now_});
  ASSERT_TRUE(journal.observations().record(o));
  ASSERT_TRUE(journal.audit().save_policy_snapshot("{}"));
  ASSERT_TRUE(journal.audit().record("breaker-open", "stopped"));
  plan::Plan plan;
  plan.mode = policy::Mode::kAuto;
  ASSERT_TRUE(journal.plans().save(plan, PlanState::kProposed));

  now_ += hours(24 * 40);
  const std::int64_t recent = finished_action(journal, "recent", ActionState::kSucceeded);
  auto pruned = journal.prune(std::chrono::days(30));
  ASSERT_TRUE(pruned) << pruned.error().message();
  EXPECT_EQ(pruned.value().actions, 1);
  EXPECT_EQ(pruned.value().findings, 1);
  EXPECT_EQ(pruned.value().events_seen, 1);
  EXPECT_EQ(pruned.value().plans, 1);
  EXPECT_EQ(pruned.value().audit, 1);
  EXPECT_EQ(pruned.value().policy_snapshots, 0);  // the latest stays

  auto gone = journal.actions().find(old_done);
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone.value().has_value());
  auto kept = journal.actions().find(old_in_flight.value().action_row);
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept.value().has_value());
  auto kept_recent = journal.actions().find(recent);
  ASSERT_TRUE(kept_recent);
  EXPECT_TRUE(kept_recent.value().has_value());
}

TEST_F(JournalTest, GarbageFileIsReportedAsCorrupt) {
  ASSERT_TRUE(prepare_database_file(path_));  // protected as the journal's: only the content is wrong
  {
    std::ofstream garbage(path_, std::ios::binary);
    for (int i = 0; i < 4096; ++i) garbage.put(static_cast<char>((i * 37 + 11) & 0xff));
  }
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("corrupt"));
  EXPECT_THAT(opened.error().message(), HasSubstr("no change will be made"));
}

TEST_F(JournalTest, DamagedPageIsReportedAsCorrupt) {
  {
    Journal journal = open_journal();
    for (int i = 0; i < 50; ++i)
      finished_action(journal, "key-" + std::to_string(i), ActionState::kSucceeded);
  }
  {
    std::fstream file(path_, std::ios::binary | std::ios::in | std::ios::out);
    ASSERT_TRUE(file);
    file.seekp(4096);  // page 2 onwards: the first tables' b-tree pages
    for (int i = 0; i < 4096 * 4; ++i) file.put(static_cast<char>((i * 91 + 7) & 0xff));
  }
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("corrupt"));
}

TEST_F(JournalTest, LockedDatabaseIsAnErrorNotAnException) {
  Journal journal = open_journal();
  SQLite::Database other(path_, SQLite::OPEN_READWRITE);
  other.exec("BEGIN EXCLUSIVE");
  auto recorded = journal.actions().record_intent(intent("System:1"));
  ASSERT_FALSE(recorded);
  EXPECT_THAT(recorded.error().message(), HasSubstr("locked by another connection"));
  other.exec("ROLLBACK");
  EXPECT_TRUE(journal.actions().record_intent(intent("System:1")));
}

TEST_F(JournalTest, OpeningAnExclusivelyLockedDatabaseIsAnError) {
  { Journal journal = open_journal(); }
  SQLite::Database other(path_, SQLite::OPEN_READWRITE);
  // A rollback-journal connection's EXCLUSIVE lock is on the database file itself (and leaves no -wal/-shm).
  other.exec("PRAGMA journal_mode = DELETE");
  other.exec("BEGIN EXCLUSIVE");
  auto opened = Journal::open(path_, options());
  ASSERT_FALSE(opened);
  EXPECT_THAT(opened.error().message(), HasSubstr("locked by another connection"));
  other.exec("ROLLBACK");
}

}  // namespace
}  // namespace rdpmend::journal
