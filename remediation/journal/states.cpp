#include "journal/states.h"

#include <array>

namespace rdpmend::journal {
namespace {

constexpr std::array<std::string_view, 4> kPlanStates = {"proposed", "approved", "executed", "rejected"};
constexpr std::array<std::string_view, 3> kHoldStates = {"pending", "ran", "superseded"};
constexpr std::array<std::string_view, 9> kActionStates = {
    "intent", "precondition-failed", "applied", "verified",   "succeeded",
    "failed", "rolled-back",         "skipped", "would-apply"};

template <typename State>
std::string list_sql(std::string_view column, std::string_view op, std::initializer_list<State> states) {
  std::string sql(column);
  sql += op;
  sql += " (";
  const char* separator = "";
  for (State state : states) {
    sql += separator;
    sql += '\'';
    sql += to_string(state);
    sql += '\'';
    separator = ", ";
  }
  return sql + ")";
}

}  // namespace

std::string_view to_string(PlanState state) {
  return kPlanStates[static_cast<std::size_t>(state)];
}

std::string_view to_string(ActionState state) {
  return kActionStates[static_cast<std::size_t>(state)];
}

std::string_view to_string(HoldState state) {
  return kHoldStates[static_cast<std::size_t>(state)];
}

std::optional<PlanState> parse_plan_state(std::string_view text) {
  for (std::size_t i = 0; i < kPlanStates.size(); ++i)
    if (kPlanStates[i] == text) return static_cast<PlanState>(i);
  return std::nullopt;
}

std::optional<ActionState> parse_action_state(std::string_view text) {
  for (std::size_t i = 0; i < kActionStates.size(); ++i)
    if (kActionStates[i] == text) return static_cast<ActionState>(i);
  return std::nullopt;
}

std::optional<HoldState> parse_hold_state(std::string_view text) {
  for (std::size_t i = 0; i < kHoldStates.size(); ++i)
    if (kHoldStates[i] == text) return static_cast<HoldState>(i);
  return std::nullopt;
}

bool is_outcome(ActionState state) {
  if (state == ActionState::kWouldApply) return false;
  for (ActionState in_flight : kInFlight)
    if (state == in_flight) return false;
  return true;
}

std::string state_in(std::string_view column, std::initializer_list<ActionState> states) {
  return list_sql(column, " IN", states);
}

std::string state_not_in(std::string_view column, std::initializer_list<ActionState> states) {
  return list_sql(column, " NOT IN", states);
}

std::string state_in(std::string_view column, std::initializer_list<PlanState> states) {
  return list_sql(column, " IN", states);
}

std::string state_in(std::string_view column, std::initializer_list<HoldState> states) {
  return list_sql(column, " IN", states);
}

}  // namespace rdpmend::journal
