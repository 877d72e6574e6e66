#pragma once
// The restarts held back: a restart a change needs (the listener serves the change only after it) that the
// session guard or the maintenance window did not let run. Kept here so it is not forgotten: every pass
// plans it again until it runs (when the last session ends or the window opens, after an agent restart as
// well), and `history` shows it with its reason. One hold is pending per service: a newer change's hold
// supersedes it, and any run of that restart (by the agent or an administrator's `fix`) ends it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "journal/states.h"
#include "journal/time.h"
#include "plan/skip_reason.h"

namespace rdpmend::journal {

struct Connection;

struct RestartHold {
  std::int64_t id = 0;
  std::string action;                 // the restart action's id (restart-rdp-service)
  std::string target;                 // the service it restarts
  std::vector<std::string> findings;  // what the changes it serves fixed
  std::optional<std::int64_t> plan_id;
  HoldState state = HoldState::kPending;
  plan::SkipReason reason = plan::SkipReason::kActiveSessions;  // why it waits (the latest pass's)
  std::string detail;                                           // the same for people
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> finished_at;
  std::optional<std::int64_t> ran_as;         // the action row of the run that ended it
  std::optional<std::int64_t> superseded_by;  // the newer hold
};

class PendingRestartLog {
 public:
  explicit PendingRestartLog(Connection& connection) : c_(&connection) {}

  // Records that a restart is held back; the hold pending for the same action and target, if any, is
  // superseded by the new one (in the same transaction). Returns the new hold's id.
  Result<std::int64_t> hold(std::string_view action, std::string_view target,
                            const std::vector<std::string>& findings, std::optional<std::int64_t> plan_id,
                            plan::SkipReason reason, std::string_view detail);
  // A later pass held it back again: its current reason.
  Status still_held(std::int64_t hold_id, plan::SkipReason reason, std::string_view detail);
  // The service `target` was restarted or started as `action_row`: the holds pending on it end.
  Status ran(std::string_view target, std::int64_t action_row);

  Result<std::vector<RestartHold>> pending();
  // Holds created or changed at or after `since`, oldest first (pending ones whenever they were made).
  Result<std::vector<RestartHold>> history(TimePoint since);

 private:
  Connection* c_;  // owned by the Journal, which outlives this part of it
};

}  // namespace rdpmend::journal
