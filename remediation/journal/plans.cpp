#include "journal/plans.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "journal/connection.h"
#include "util/json_text.h"

namespace rdpmend::journal {
namespace {

nlohmann::json chosen_json(const plan::Plan& plan) {
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& a : plan.actions)
    if (a.chosen())
      actions.push_back({{"action", a.action},
                         {"target", a.target},
                         {"finding", a.findings.empty() ? std::string() : a.findings.front()}});
  return actions;
}

nlohmann::json left_out_json(const plan::Plan& plan) {
  nlohmann::json left_out = nlohmann::json::array();
  for (const auto& a : plan.actions)
    if (!a.chosen())
      left_out.push_back({{"action", a.action},
                          {"target", a.target},
                          {"skip", a.skip ? std::string(plan::skip_reason_id(*a.skip)) : std::string()},
                          {"reason", a.reason}});
  return left_out;
}

std::optional<policy::Mode> parse_mode(std::string_view name) {
  for (policy::Mode mode :
       {policy::Mode::kOff, policy::Mode::kObserve, policy::Mode::kApprove, policy::Mode::kAuto})
    if (policy::mode_name(mode) == name) return mode;
  return std::nullopt;
}

}  // namespace

Result<std::int64_t> PlanLog::save(const plan::Plan& plan, PlanState state, TimePoint created_at) {
  return guarded("save a plan", c_->path, [&]() -> Result<std::int64_t> {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(db,
                             "INSERT INTO plans (created_at, updated_at, mode, state, actions, left_out) "
                             "VALUES (?, ?, ?, ?, ?, ?)");
    const std::int64_t created = to_ms(created_at == TimePoint{} ? c_->now() : created_at);
    insert.bind(1, created);
    insert.bind(2, created);
    insert.bind(3, std::string(policy::mode_name(plan.mode)));
    insert.bind(4, std::string(to_string(state)));
    insert.bind(5, util::json_text(chosen_json(plan)));
    insert.bind(6, util::json_text(left_out_json(plan)));
    insert.exec();
    const std::int64_t id = db.getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Status PlanLog::set_state(std::int64_t plan_id, PlanState state) {
  return guarded("change the state of a plan", c_->path, [&]() -> Status {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement update(db, "UPDATE plans SET state = ?, updated_at = ? WHERE id = ?");
    update.bind(1, std::string(to_string(state)));
    update.bind(2, to_ms(c_->now()));
    update.bind(3, plan_id);
    if (update.exec() == 0)
      return Error{"change the state of a plan", "plan " + std::to_string(plan_id),
                   "no such plan in the journal"};
    transaction.commit();
    return Ok{};
  });
}

Result<std::optional<SavedPlan>> PlanLog::find(std::int64_t plan_id) {
  return guarded("find a plan", c_->path, [&]() -> Result<std::optional<SavedPlan>> {
    SQLite::Statement query(*c_->db,
                            "SELECT id, created_at, mode, state, actions, left_out FROM plans WHERE id = ?");
    query.bind(1, plan_id);
    if (!query.executeStep()) return std::optional<SavedPlan>();
    SavedPlan saved;
    saved.id = query.getColumn(0).getInt64();
    saved.created_at = from_ms(query.getColumn(1).getInt64());
    const std::string mode = text(query.getColumn(2));
    const auto parsed_mode = parse_mode(mode);
    if (!parsed_mode)
      return Error{"find a plan", "plan " + std::to_string(plan_id), "unknown mode '" + mode + "'"};
    saved.plan.mode = *parsed_mode;
    const std::string state = text(query.getColumn(3));
    const auto parsed = parse_plan_state(state);
    if (!parsed)
      return Error{"find a plan", "plan " + std::to_string(plan_id), "unknown state '" + state + "'"};
    saved.state = *parsed;
    for (const auto& a : nlohmann::json::parse(text(query.getColumn(4)))) {
      plan::PlannedAction chosen;
      chosen.action = a.at("action").get<std::string>();
      chosen.target = a.at("target").get<std::string>();
      if (auto finding = a.at("finding").get<std::string>(); !finding.empty())
        chosen.findings.push_back(finding);
      if (saved.state == PlanState::kProposed) chosen.skip = plan::SkipReason::kAwaitingApproval;
      chosen.run = saved.state == PlanState::kApproved || saved.state == PlanState::kExecuted;
      saved.plan.actions.push_back(std::move(chosen));
    }
    for (const auto& l : nlohmann::json::parse(text(query.getColumn(5)))) {
      plan::PlannedAction left_out;
      left_out.action = l.at("action").get<std::string>();
      left_out.target = l.at("target").get<std::string>();
      left_out.reason = l.at("reason").get<std::string>();
      // Plans written before skip ids were stored have none; an id this version does not know stays unset.
      if (l.contains("skip")) left_out.skip = plan::skip_reason_from_id(l.at("skip").get<std::string>());
      saved.plan.actions.push_back(std::move(left_out));
    }
    return std::optional<SavedPlan>(std::move(saved));
  });
}

Result<std::optional<SavedPlan>> PlanLog::latest_proposed() {
  auto id = guarded("find the latest proposed plan", c_->path, [&]() -> Result<std::optional<std::int64_t>> {
    SQLite::Statement query(*c_->db,
                            "SELECT MAX(id) FROM plans WHERE " + state_in("state", {PlanState::kProposed}));
    query.executeStep();
    if (query.getColumn(0).isNull()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(query.getColumn(0).getInt64());
  });
  if (!id) return id.error();
  if (!id.value()) return std::optional<SavedPlan>();
  return find(*id.value());
}

}  // namespace rdpmend::journal
