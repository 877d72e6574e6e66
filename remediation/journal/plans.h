#pragma once
// The plans: each pass's plan::Plan with its state (a proposed plan awaits an administrator's approval).
// A plan is kept as two lists, as the schema has it: the chosen actions in order, each with the first finding
// it fixes, and the actions left out with their reason.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "journal/states.h"
#include "journal/time.h"
#include "plan/plan.h"

namespace rdpmend::journal {

struct Connection;

// A plan as the journal keeps it. Read back, the chosen actions come first (awaiting approval while the
// plan is proposed, run once it is approved or executed), then those left out.
struct SavedPlan {
  std::int64_t id = 0;
  TimePoint created_at;
  PlanState state = PlanState::kProposed;
  plan::Plan plan;
};

class PlanLog {
 public:
  explicit PlanLog(Connection& connection) : c_(&connection) {}

  // `created_at` unset: now.
  Result<std::int64_t> save(const plan::Plan& plan, PlanState state, TimePoint created_at = {});
  Status set_state(std::int64_t plan_id, PlanState state);
  Result<std::optional<SavedPlan>> find(std::int64_t plan_id);
  // The newest plan still awaiting approval, so a pass that proposes the same again reuses it.
  Result<std::optional<SavedPlan>> latest_proposed();

 private:
  Connection* c_;  // owned by the Journal, which outlives this part of it
};

}  // namespace rdpmend::journal
