// The journal's state names: spelled once, in to_string, and from there into the SQL that selects by state.

#include "journal/states.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include "journal/journal.h"
#include "journal_test_support.h"

namespace rdpmend::journal {
namespace {

constexpr ActionState kAllActionStates[] = {ActionState::kIntent,     ActionState::kPreconditionFailed,
                                            ActionState::kApplied,    ActionState::kVerified,
                                            ActionState::kSucceeded,  ActionState::kFailed,
                                            ActionState::kRolledBack, ActionState::kSkipped,
                                            ActionState::kWouldApply};
constexpr PlanState kAllPlanStates[] = {PlanState::kProposed, PlanState::kApproved, PlanState::kExecuted,
                                        PlanState::kRejected};

TEST(JournalStates, BuildsAnInListFromTheStateNames) {
  EXPECT_EQ(state_in("state", {ActionState::kIntent, ActionState::kApplied, ActionState::kVerified}),
            "state IN ('intent', 'applied', 'verified')");
  EXPECT_EQ(state_in("a.state", {ActionState::kSucceeded}), "a.state IN ('succeeded')");
  EXPECT_EQ(state_in("state", {PlanState::kProposed}), "state IN ('proposed')");
}

TEST(JournalStates, BuildsANotInList) {
  EXPECT_EQ(state_not_in("state", {ActionState::kSkipped, ActionState::kPreconditionFailed}),
            "state NOT IN ('skipped', 'precondition-failed')");
}

TEST(JournalStates, InFlightIsEveryRecordedStateThatIsNoOutcome) {
  EXPECT_EQ(state_in("state", kInFlight), "state IN ('intent', 'applied', 'verified')");
  EXPECT_FALSE(is_outcome(ActionState::kWouldApply));
  for (ActionState state : kAllActionStates) {
    if (state == ActionState::kWouldApply) continue;
    bool in_flight = false;
    for (ActionState s : kInFlight) in_flight = in_flight || s == state;
    EXPECT_NE(in_flight, is_outcome(state)) << to_string(state);
  }
}

TEST(JournalStates, NamesParseBackAndHoldNoQuote) {
  for (ActionState state : kAllActionStates) {
    EXPECT_EQ(parse_action_state(to_string(state)), state);
    EXPECT_EQ(to_string(state).find('\''), std::string_view::npos);
  }
  for (PlanState state : kAllPlanStates) {
    EXPECT_EQ(parse_plan_state(to_string(state)), state);
    EXPECT_EQ(to_string(state).find('\''), std::string_view::npos);
  }
  EXPECT_FALSE(parse_action_state("done"));
  EXPECT_FALSE(parse_plan_state(""));
}

using JournalStatesSchema = test::JournalFolder;

// The schema's CHECK constraints spell the names too (a shipped migration is never edited): each name the
// code writes must be one they accept.
TEST_F(JournalStatesSchema, TheSchemaAcceptsEveryStateName) {
  { Journal journal = open_journal(); }
  SQLite::Database raw(path_, SQLite::OPEN_READWRITE);
  raw.exec(
      "INSERT INTO plans (id, created_at, updated_at, mode, state) VALUES (1, 0, 0, 'Auto', 'proposed')");
  raw.exec(
      "INSERT INTO actions (id, action, target, idempotency_key, state, intent_at) "
      "VALUES (1, 'a', 't', 'k', 'intent', 0)");
  for (PlanState state : kAllPlanStates) {
    SQLite::Statement update(raw, "UPDATE plans SET state = ? WHERE id = 1");
    update.bind(1, std::string(to_string(state)));
    EXPECT_NO_THROW(update.exec()) << to_string(state);
  }
  for (ActionState state : kAllActionStates) {
    SQLite::Statement update(raw, "UPDATE actions SET state = ? WHERE id = 1");
    update.bind(1, std::string(to_string(state)));
    if (state == ActionState::kWouldApply)
      EXPECT_THROW(update.exec(), SQLite::Exception);  // a dry run's report, never recorded
    else
      EXPECT_NO_THROW(update.exec()) << to_string(state);
  }
  SQLite::Statement wrong(raw, "UPDATE actions SET state = 'done' WHERE id = 1");
  EXPECT_THROW(wrong.exec(), SQLite::Exception);
}

}  // namespace
}  // namespace rdpmend::journal
