#pragma once
// Why a planned action does not run now: the planner's and the executor's decision as a value. Everything
// that acts on it (the breaker's audit entry, the journal, `history`, the agent's events, the metrics)
// reads the enum; the words next to it in PlannedAction::reason are for people only.

#include <optional>
#include <string_view>

namespace rdpmend::plan {

enum class SkipReason {
  kNotAvailable,       // this host does not offer the action
  kNotSelected,        // fix --only named others
  kModeOff,            // policy Mode Off
  kModeObserve,        // policy Mode Observe: report only
  kNotAllowed,         // its Allow* setting is off
  kBreakerOpen,        // a finding came back too often after fixes
  kCooldown,           // the same action on the same target changed it too recently
  kMaintenanceWindow,  // outside the maintenance window
  kNothingToRestart,   // a restart with no change before it
  kActiveSessions,     // a restart would end sessions (or their number is unknown)
  kRateLimit,          // MaxActionsPerHour reached
  kAwaitingApproval,   // Mode Approve: runs once approved
  kEarlierFailed,      // an earlier action of the plan did not succeed
};

// The stable id ("cooldown", "breaker-open", ...): the journal, JSON output and metrics labels.
std::string_view skip_reason_id(SkipReason reason);
std::optional<SkipReason> skip_reason_from_id(std::string_view id);

}  // namespace rdpmend::plan
