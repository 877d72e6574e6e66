#pragma once
// The plans: what a pass decided to run (in order) and what it left out and why, with the plan's state
// (proposed plans await an administrator's approval).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "journal/states.h"
#include "journal/time.h"

namespace rdpmend::journal {

struct Connection;

struct PlannedAction {
  std::string action;
  std::string target;
  std::string finding;
};

struct LeftOut {
  std::string action;
  std::string target;
  std::string reason;  // policy mode, not allowed, cooldown, rate limit, breaker, ...
};

struct Plan {
  std::int64_t id = 0;  // set by save_plan / when read back
  TimePoint created_at;
  std::string mode;  // Off / Observe / Approve / Auto
  PlanState state = PlanState::kProposed;
  std::vector<PlannedAction> actions;  // in execution order
  std::vector<LeftOut> left_out;
};

class PlanLog {
 public:
  explicit PlanLog(Connection& connection) : c_(&connection) {}

  Result<std::int64_t> save_plan(const Plan& plan);
  Status set_plan_state(std::int64_t plan_id, PlanState state);
  Result<std::optional<Plan>> find_plan(std::int64_t plan_id);
  // The newest plan still awaiting approval, so a pass that proposes the same again reuses it.
  Result<std::optional<Plan>> latest_proposed_plan();

 private:
  Connection* c_;  // owned by the Journal, which outlives this part of it
};

}  // namespace rdpmend::journal
