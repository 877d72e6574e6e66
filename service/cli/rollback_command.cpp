#include "cli/rollback_command.h"

#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/engine_setup.h"
#include "cli/exit_codes.h"
#include "cli/pass_report.h"
#include "diagnosis/diagnosis.h"
#include "execute/executor.h"
#include "util/json_text.h"
#include "util/printable.h"

namespace rdpmend::cli {
namespace {

struct RollbackArgs {
  EngineOptions engine;
  std::int64_t action_id = 0;
  bool json = false;
};

int run(const RollbackArgs& args) {
  int refused = kExitOk;
  auto engine = privileged_engine(args.engine, "rollback changes the host", refused);
  if (!engine) return refused;
  auto& e = *engine;
  auto journal = open_journal(e);
  if (!journal) {
    spdlog::error("{}; nothing was changed", journal.error().message());
    return kExitInputError;
  }
  execute::ExecutorContext ctx;
  ctx.journal = &journal.value();
  ctx.actions = &e.actions;
  ctx.reinspect = [&] {
    return inspect::inspect_host(*e.host, std::chrono::system_clock::now(), e.policy.renew_before_days);
  };
  ctx.privileged = e.privileged;
  auto recovered = execute::recover_in_flight(ctx);
  if (!recovered) {
    spdlog::error("{}; nothing more was changed", recovered.error().message());
    return kExitInputError;
  }
  auto rolled = execute::rollback_action(ctx, args.action_id);
  if (!rolled) {
    spdlog::error("{}", rolled.error().message());
    return kExitInputError;
  }
  auto after = ctx.reinspect();
  auto findings = diagnosis::diagnose(after, {}, diagnosis::default_diagnosis_catalog());
  if (args.json) {
    nlohmann::ordered_json j;
    auto recovered_json = nlohmann::ordered_json::array();
    for (const auto& r : recovered.value()) recovered_json.push_back(report_to_json(r));
    j["recovered"] = recovered_json;
    j["rollback"] = report_to_json(rolled.value());
    auto ids = nlohmann::ordered_json::array();
    for (const auto& f : findings.findings) ids.push_back(f.rule->id);
    j["findings_after"] = ids;
    j["probe_after"] =
        after.self_probe ? nlohmann::ordered_json(after.self_probe->verdict) : nlohmann::ordered_json();
    std::cout << util::json_text(j, 2) << "\n";
  } else {
    using util::printable;  // targets and details quote the host
    for (const auto& r : recovered.value())
      std::cout << "Finished first: action " << *r.action_row << " " << printable(r.action) << ": "
                << journal::to_string(r.outcome) << " (" << printable(r.detail) << ")\n";
    const auto& r = rolled.value();
    std::cout << "Action " << args.action_id << " " << printable(r.action) << " on " << printable(r.target)
              << ": " << printable(r.detail) << "\n";
    std::cout << "Findings now:";
    if (findings.findings.empty()) std::cout << " none";
    for (const auto& f : findings.findings) std::cout << " " << f.rule->id;
    std::cout << "\nSelf-probe now: "
              << (after.self_probe ? printable(after.self_probe->verdict) : "not probed") << "\n";
  }
  return kExitOk;
}

}  // namespace

void register_rollback_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RollbackArgs>();
  auto* cmd = app.add_subcommand("rollback", "Undo one action from its backup (root / Administrator)");
  cmd->add_option("ACTION_ID", args->action_id, "The action's id, as fix or history printed it")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--host", args->engine.host, "local (default) or sim:FILE");
  cmd->add_option("--config", args->engine.config, "Configuration file (Linux: [xrdp] and [policy])");
  cmd->add_option("--journal", args->engine.journal, "The journal database (default: as fix)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->footer(
      std::string(kExitCodeHelp) +
      "\nrollback: 0 rolled back (or already was), 3 no such action, not finished, not reversible, or the "
      "journal could not be read, 4 not root / Administrator.");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace rdpmend::cli
