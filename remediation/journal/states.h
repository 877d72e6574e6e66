#pragma once
// The states of the journal's actions and plans, each spelled once: the SQL that selects by state is built
// from to_string (state_in), so a name in a query cannot drift from the name the journal writes.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace rdpmend::journal {

enum class PlanState { kProposed, kApproved, kExecuted, kRejected };

// A restart held back (pending_restarts.h): pending until it ran (whatever its outcome, the action row says)
// or a newer hold for the same service took its place (superseded).
enum class HoldState { kPending, kRan, kSuperseded };

// intent -> (precondition-failed | skipped) or -> applied -> verified -> succeeded; failed and rolled-back
// from any step. in flight: intent, applied, verified (no outcome yet).
enum class ActionState {
  kIntent,
  kPreconditionFailed,
  kApplied,
  kVerified,
  kSucceeded,
  kFailed,
  kRolledBack,
  kSkipped,
  kWouldApply,  // never recorded: a dry run's report that the check and the backup passed
};

// Started but not finished: what crash recovery finishes, and what pruning never deletes.
inline constexpr std::initializer_list<ActionState> kInFlight = {ActionState::kIntent, ActionState::kApplied,
                                                                 ActionState::kVerified};

std::string_view to_string(PlanState state);
std::string_view to_string(ActionState state);
std::string_view to_string(HoldState state);
std::optional<PlanState> parse_plan_state(std::string_view text);
std::optional<ActionState> parse_action_state(std::string_view text);
std::optional<HoldState> parse_hold_state(std::string_view text);
// An outcome ends an action: precondition-failed, succeeded, failed, rolled-back, skipped (would-apply is
// no outcome: nothing was done).
bool is_outcome(ActionState state);

// "column IN ('a', 'b')" / "column NOT IN ('a', 'b')" for the given states. The names are the enum's own
// and hold no quote, so they need no escaping.
std::string state_in(std::string_view column, std::initializer_list<ActionState> states);
std::string state_not_in(std::string_view column, std::initializer_list<ActionState> states);
std::string state_in(std::string_view column, std::initializer_list<PlanState> states);
std::string state_in(std::string_view column, std::initializer_list<HoldState> states);

}  // namespace rdpmend::journal
