#include "cli/history_command.h"

#include <iomanip>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/engine_setup.h"
#include "cli/exit_codes.h"
#include "events/event_time.h"
#include "util/duration.h"
#include "util/json_text.h"
#include "util/printable.h"

namespace rdpmend::cli {
namespace {

struct HistoryArgs {
  EngineOptions engine;
  std::string since = "7d";
  bool json = false;
};

std::string utc(journal::TimePoint t) {
  return events::format_event_time(std::chrono::time_point_cast<events::TimePoint::duration>(t));
}

nlohmann::ordered_json time_json(const std::optional<journal::TimePoint>& t) {
  return t ? nlohmann::ordered_json(utc(*t)) : nlohmann::ordered_json();
}

nlohmann::ordered_json record_json(const journal::ActionRecord& r) {
  nlohmann::ordered_json j;
  j["id"] = r.id;
  j["plan_id"] = r.plan_id ? nlohmann::ordered_json(*r.plan_id) : nlohmann::ordered_json();
  j["action"] = r.action;
  j["target"] = r.target;
  j["finding"] = r.finding;
  j["state"] = journal::to_string(r.state);
  j["reason"] = r.reason;
  j["error"] = r.error;
  j["intent_at"] = utc(r.intent_at);
  j["backup_at"] = time_json(r.backup_at);
  j["applied_at"] = time_json(r.applied_at);
  j["verified_at"] = time_json(r.verified_at);
  j["finished_at"] = time_json(r.finished_at);
  j["has_backup"] = !r.backup.empty();
  return j;
}

nlohmann::ordered_json hold_json(const journal::RestartHold& h) {
  nlohmann::ordered_json j;
  j["id"] = h.id;
  j["action"] = h.action;
  j["target"] = h.target;
  j["state"] = journal::to_string(h.state);
  j["reason"] = plan::skip_reason_id(h.reason);
  j["detail"] = h.detail;
  j["findings"] = h.findings;
  j["plan_id"] = h.plan_id ? nlohmann::ordered_json(*h.plan_id) : nlohmann::ordered_json();
  j["held_at"] = utc(h.created_at);
  j["updated_at"] = utc(h.updated_at);
  j["finished_at"] = time_json(h.finished_at);
  j["ran_as"] = h.ran_as ? nlohmann::ordered_json(*h.ran_as) : nlohmann::ordered_json();
  j["superseded_by"] = h.superseded_by ? nlohmann::ordered_json(*h.superseded_by) : nlohmann::ordered_json();
  return j;
}

// What ended a hold, or what it waits for, in words.
std::string hold_text(const journal::RestartHold& h) {
  switch (h.state) {
    case journal::HoldState::kPending:
      return "waits (" + std::string(plan::skip_reason_id(h.reason)) + "): " + h.detail;
    case journal::HoldState::kRan:
      return "ran as action " + (h.ran_as ? std::to_string(*h.ran_as) : std::string("(pruned)"));
    case journal::HoldState::kSuperseded:
      return "superseded by hold " +
             (h.superseded_by ? std::to_string(*h.superseded_by) : std::string("(pruned)"));
  }
  return {};
}

int run(const HistoryArgs& args, std::chrono::seconds since) {
  auto engine = make_engine(args.engine);
  if (!engine) {
    spdlog::error("{}", engine.error().message());
    return kExitInputError;
  }
  if (!engine.value().privileged) {
    spdlog::error("the journal is readable by root (Linux) or SYSTEM and Administrators (Windows) only");
    return kExitNotPermitted;
  }
  auto journal = open_journal(engine.value());
  if (!journal) {
    spdlog::error("{}", journal.error().message());
    return kExitInputError;
  }
  const auto from = std::chrono::system_clock::now() - since;
  auto records = journal.value().actions().history(from);
  if (!records) {
    spdlog::error("{}", records.error().message());
    return kExitInputError;
  }
  auto holds = journal.value().restarts().history(from);
  if (!holds) {
    spdlog::error("{}", holds.error().message());
    return kExitInputError;
  }
  if (args.json) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& r : records.value()) list.push_back(record_json(r));
    auto held = nlohmann::ordered_json::array();
    for (const auto& h : holds.value()) held.push_back(hold_json(h));
    nlohmann::ordered_json j;
    j["journal"] = journal.value().path();
    j["since"] = args.since;
    j["actions"] = list;
    j["held_restarts"] = held;
    std::cout << util::json_text(j, 2) << "\n";
    return kExitOk;
  }
  // Targets, reasons and errors quote the host (paths, names, OS messages): printable.
  using util::printable;
  if (records.value().empty())
    std::cout << "No actions in the last " << printable(args.since) << " ("
              << printable(journal.value().path()) << ")\n";
  if (!holds.value().empty()) {
    // Pending ones first in mind: a restart still owed to a change that was made.
    std::cout << "Restarts held back (pending ones run when the sessions end or the window opens):\n";
    std::cout << std::left << std::setw(6) << "HOLD" << std::setw(22) << "HELD AT (UTC)" << std::setw(24)
              << "ACTION" << std::setw(21) << "STATE"
              << "TARGET\n";
    for (const auto& h : holds.value()) {
      std::cout << std::setw(6) << h.id << std::setw(22) << utc(h.created_at).substr(0, 19) << std::setw(24)
                << printable(h.action) << std::setw(21) << journal::to_string(h.state) << printable(h.target)
                << "\n";
      std::cout << "      " << printable(hold_text(h)) << "\n";
    }
    if (!records.value().empty()) std::cout << "\n";
  }
  if (records.value().empty()) return kExitOk;
  std::cout << std::left << std::setw(6) << "ID" << std::setw(22) << "STARTED (UTC)" << std::setw(24)
            << "ACTION" << std::setw(21) << "STATE"
            << "TARGET\n";
  for (const auto& r : records.value()) {
    auto started = utc(r.intent_at).substr(0, 19);
    std::cout << std::setw(6) << r.id << std::setw(22) << started << std::setw(24) << printable(r.action)
              << std::setw(21) << journal::to_string(r.state) << printable(r.target) << "\n";
    std::string why = r.error.empty() ? r.reason : r.error;
    if (!why.empty()) std::cout << "      " << printable(why) << "\n";
  }
  return kExitOk;
}

}  // namespace

void register_history_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<HistoryArgs>();
  auto* cmd = app.add_subcommand("history", "List the actions the journal recorded, oldest first");
  cmd->add_option("--since", args->since, "How far back (default 7d)");
  cmd->add_option("--host", args->engine.host, "local (default) or sim:FILE (its journal)");
  cmd->add_option("--config", args->engine.config, "Configuration file");
  cmd->add_option("--journal", args->engine.journal, "The journal database (default: as fix)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->footer(std::string(kExitCodeHelp) +
              "\nhistory: 0 listed, 3 the journal could not be read, 4 not root.");
  cmd->callback([args, &exit_code] {
    auto since = util::parse_duration(args->since);
    if (!since)
      throw CLI::ValidationError("--since", "'" + args->since + "' is not a duration like 30m, 24h or 7d");
    args->engine.with_probe = false;
    exit_code = run(*args, *since);
  });
}

}  // namespace rdpmend::cli
