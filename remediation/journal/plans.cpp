#include "journal/plans.h"

#include <nlohmann/json.hpp>

#include "journal/connection.h"
#include "util/json_text.h"

namespace rdpmend::journal {
namespace {

nlohmann::json plan_actions_json(const Plan& plan) {
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& a : plan.actions)
    actions.push_back({{"action", a.action}, {"target", a.target}, {"finding", a.finding}});
  return actions;
}

nlohmann::json plan_left_out_json(const Plan& plan) {
  nlohmann::json left_out = nlohmann::json::array();
  for (const auto& l : plan.left_out)
    left_out.push_back({{"action", l.action}, {"target", l.target}, {"reason", l.reason}});
  return left_out;
}

}  // namespace

Result<std::int64_t> PlanLog::save_plan(const Plan& plan) {
  return guarded("save a plan", c_->path, [&]() -> Result<std::int64_t> {
    SQLite::Database& db = *c_->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(db,
                             "INSERT INTO plans (created_at, updated_at, mode, state, actions, left_out) "
                             "VALUES (?, ?, ?, ?, ?, ?)");
    const std::int64_t created = to_ms(plan.created_at == TimePoint{} ? c_->now() : plan.created_at);
    insert.bind(1, created);
    insert.bind(2, created);
    insert.bind(3, plan.mode);
    insert.bind(4, std::string(to_string(plan.state)));
    insert.bind(5, util::json_text(plan_actions_json(plan)));
    insert.bind(6, util::json_text(plan_left_out_json(plan)));
    insert.exec();
    const std::int64_t id = db.getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

Status PlanLog::set_plan_state(std::int64_t plan_id, PlanState state) {
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

Result<std::optional<Plan>> PlanLog::find_plan(std::int64_t plan_id) {
  return guarded("find a plan", c_->path, [&]() -> Result<std::optional<Plan>> {
    SQLite::Statement query(*c_->db,
                            "SELECT id, created_at, mode, state, actions, left_out FROM plans WHERE id = ?");
    query.bind(1, plan_id);
    if (!query.executeStep()) return std::optional<Plan>();
    Plan plan;
    plan.id = query.getColumn(0).getInt64();
    plan.created_at = from_ms(query.getColumn(1).getInt64());
    plan.mode = text(query.getColumn(2));
    const std::string state = text(query.getColumn(3));
    const auto parsed = parse_plan_state(state);
    if (!parsed)
      return Error{"find a plan", "plan " + std::to_string(plan_id), "unknown state '" + state + "'"};
    plan.state = *parsed;
    for (const auto& a : nlohmann::json::parse(text(query.getColumn(4))))
      plan.actions.push_back({a.at("action").get<std::string>(), a.at("target").get<std::string>(),
                              a.at("finding").get<std::string>()});
    for (const auto& l : nlohmann::json::parse(text(query.getColumn(5))))
      plan.left_out.push_back({l.at("action").get<std::string>(), l.at("target").get<std::string>(),
                               l.at("reason").get<std::string>()});
    return std::optional<Plan>(std::move(plan));
  });
}

Result<std::optional<Plan>> PlanLog::latest_proposed_plan() {
  auto id = guarded("find the latest proposed plan", c_->path, [&]() -> Result<std::optional<std::int64_t>> {
    SQLite::Statement query(*c_->db,
                            "SELECT MAX(id) FROM plans WHERE " + state_in("state", {PlanState::kProposed}));
    query.executeStep();
    if (query.getColumn(0).isNull()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(query.getColumn(0).getInt64());
  });
  if (!id) return id.error();
  if (!id.value()) return std::optional<Plan>();
  return find_plan(*id.value());
}

}  // namespace rdpmend::journal
