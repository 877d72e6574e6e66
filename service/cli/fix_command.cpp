#include "cli/fix_command.h"

#include <iostream>
#include <iterator>

#include <spdlog/spdlog.h>

#include "catalog/catalog_ids.h"
#include "cli/engine_setup.h"
#include "cli/exit_codes.h"
#include "cli/pass_report.h"
#include "diagnosis/diagnosis.h"
#include "execute/pass.h"
#include "util/json_text.h"

namespace rdpmend::cli {
namespace {

struct FixArgs {
  EngineOptions engine;
  bool dry_run = false;
  bool apply = false;
  std::vector<std::string> only;
  std::int64_t plan_id = 0;  // approve
  bool json = false;
};

void add_engine_options(CLI::App* cmd, FixArgs& args) {
  cmd->add_option("--host", args.engine.host,
                  "local (default) or sim:FILE (a snapshot; changes are written back)");
  cmd->add_option("--config", args.engine.config, "Configuration file (Linux: [xrdp] and [policy])");
  cmd->add_option(
      "--journal", args.engine.journal,
      "The journal database (default /var/lib/rdpmend/journal.db, %ProgramData%\\RdpMend\\journal.db; "
      "sim:FILE uses FILE.journal.db)");
  cmd->add_flag("--json", args.json, "Print one JSON object");
}

// From the generated ids, not the parsed catalog: registering the command parses nothing.
std::vector<std::string> known_action_ids() {
  return {std::begin(ids::action::kAll), std::end(ids::action::kAll)};
}

int run(const FixArgs& args, bool approve) {
  auto engine = make_engine(args.engine);
  if (!engine) {
    spdlog::error("{}", engine.error().message());
    return kExitInputError;
  }
  auto& e = engine.value();
  bool dry_run = args.dry_run;
  if (!dry_run && !e.privileged) {
    spdlog::error(
        "{} changes the host: run it as root (Linux) or from an elevated Administrator prompt (Windows)",
        approve ? "approve" : "fix --apply");
    return kExitNotPermitted;
  }
  if (!e.policy.errors.empty())
    for (const auto& err : e.policy.errors)
      spdlog::warn("policy source not read (Mode capped at Observe): {}", err.message());

  std::optional<journal::Journal> journal;
  auto opened = open_journal(e);
  if (opened) {
    journal.emplace(std::move(opened).value());
  } else if (dry_run) {
    spdlog::warn("{}; the preview ignores cooldowns, rate limits and the breaker", opened.error().message());
  } else {
    spdlog::error("{}; nothing was changed", opened.error().message());
    return kExitInputError;
  }

  auto crash_at = execute::crash_point_from_environment();
  if (!crash_at) {
    spdlog::error("{}", crash_at.error().message());
    return kExitUsage;
  }
  execute::PassInput input;
  input.host = e.host.get();
  input.actions = &e.actions;
  input.journal = journal ? &*journal : nullptr;
  input.policy = &e.policy;
  execute::PassOptions options;
  options.dry_run = dry_run;
  options.privileged = e.privileged;
  options.only = args.only;
  if (approve) options.approved_plan = args.plan_id;
  options.crash_at = crash_at.value();

  auto pass = execute::run_pass(input, options);
  if (!pass) {
    spdlog::error("{}; nothing more was changed", pass.error().message());
    return kExitInputError;
  }
  const auto& result = pass.value();
  auto after = diagnosis::diagnose(result.executed.final_state, {}, diagnosis::default_diagnosis_catalog());
  PassView view{&result, &after, args.engine.host, dry_run};
  if (args.json)
    std::cout << util::json_text(pass_to_json(view), 2) << "\n";
  else
    print_pass(view, std::cout);

  bool not_permitted = false;
  for (const auto& r : result.executed.reports)
    not_permitted =
        not_permitted || (r.outcome == journal::ActionState::kPreconditionFailed && !e.privileged);
  if (not_permitted) return kExitNotPermitted;
  return (dry_run ? result.diagnosis : after).findings.empty() ? kExitOk : kExitProblemsFound;
}

}  // namespace

void register_fix_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FixArgs>();
  auto* cmd = app.add_subcommand("fix", "Repair what diagnose finds, as far as the policy allows");
  auto* dry = cmd->add_flag("--dry-run", args->dry_run,
                            "Plan, check privileges and preconditions, take the backups; change nothing");
  auto* apply = cmd->add_flag("--apply", args->apply, "Make the changes (root / Administrator)");
  dry->excludes(apply);
  cmd->add_option("--only", args->only, "Run only these action ids (e.g. repair-rdp-key-acl)")
      ->check(CLI::IsMember(known_action_ids()));
  add_engine_options(cmd, *args);
  cmd->footer(
      std::string(kExitCodeHelp) +
      "\nfix: 0 no findings (after the changes), 1 findings remain, 3 the host, policy or journal could "
      "not be read,\n4 not root / Administrator.\nTest hook: RDPMEND_TEST_CRASH_AT=STEP[:ACTION] aborts "
      "after a step (after-intent, after-backup,\nafter-apply, after-verify); the next run recovers.");
  cmd->callback([args, &exit_code] {
    if (!args->dry_run && !args->apply)
      throw CLI::ValidationError("fix", "say --dry-run (preview) or --apply (make the changes)");
    exit_code = run(*args, false);
  });
}

void register_approve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FixArgs>();
  auto* cmd =
      app.add_subcommand("approve", "Run the actions a plan proposed in Mode Approve (root / Administrator)");
  cmd->add_option("PLAN_ID", args->plan_id, "The plan's id, as fix --apply printed it")
      ->required()
      ->check(CLI::PositiveNumber);
  add_engine_options(cmd, *args);
  cmd->footer(std::string(kExitCodeHelp) +
              "\napprove: as fix; 3 also when the plan does not await approval.");
  cmd->callback([args, &exit_code] { exit_code = run(*args, true); });
}

}  // namespace rdpmend::cli
