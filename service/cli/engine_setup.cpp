#include "cli/engine_setup.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "actions/local_actions.h"
#include "actions/sim/sim_actions.h"
#include "cli/exit_codes.h"
#include "cli/host_privilege.h"
#include "inspect/host_state_json.h"
#include "inspect/sim/sim_host.h"
#include "policy_sources.h"
#include "security/trusted_file.h"
#include "util/json_text.h"

namespace rdpmend::cli {
namespace {

// Written to a new file (O_EXCL) in the snapshot's folder, which must pass the trust rule, and renamed over
// it: a crash leaves the old or the new file, whole, and no other account can redirect the write.
void save_snapshot(const std::filesystem::path& file, const inspect::HostState& state) {
  const auto absolute = std::filesystem::absolute(file);
  auto folder = security::open_trusted_folder(absolute.parent_path().string());
  if (!folder) throw std::runtime_error("cannot write the snapshot: " + folder.error().message());
  auto written = security::replace_in_folder(folder.value(), absolute.filename().string(),
                                             util::json_text(inspect::host_state_to_json(state), 2) + "\n");
  if (!written) throw std::runtime_error(written.error().message());
}

}  // namespace

Result<Engine> make_engine(const EngineOptions& options) {
  Engine engine;
  auto config = load_config_file(options.config);
  if (!config) return config.error();
  engine.config = std::move(config).value();

  engine.policy = policy::load_policy(policy_sources_for(engine.config));

  if (options.host.starts_with("sim:")) {
    std::filesystem::path file = options.host.substr(4);
    auto snapshot = inspect::load_snapshot(file);
    if (!snapshot) return snapshot.error();
    auto state = std::make_shared<inspect::HostState>(std::move(snapshot).value());
    engine.host = inspect::make_sim_host(state);
    engine.actions = actions::make_sim_actions(
        state, nullptr, [file](const inspect::HostState& s) { save_snapshot(file, s); });
    engine.simulated = true;
    engine.privileged = true;
    engine.journal_path = options.journal.empty() ? file.string() + ".journal.db" : options.journal;
  } else if (options.host == "local") {
    inspect::LocalHostConfig local;
    local.xrdp_ini = engine.config.xrdp.ini;
    local.xrdp_user = engine.config.xrdp.user;
    local.restart_command = engine.config.xrdp.restart;
    auto made = inspect::make_local_host(local);
    if (!made) return made.error();
    engine.host = std::move(made).value();
    actions::LocalActionConfig action_config;
    action_config.xrdp_user = engine.config.xrdp.user;
    action_config.restart_command = engine.config.xrdp.restart;
    action_config.key_type = engine.policy.xrdp_cert_key_type;
    action_config.validity_days = engine.policy.xrdp_cert_validity_days;
    action_config.key_access = engine.policy.xrdp_key_access;
    action_config.key_group = engine.policy.xrdp_key_group;
    action_config.hostname = engine.host->hostname;
    engine.actions = actions::make_local_actions(action_config);
    engine.privileged = running_privileged();
    engine.journal_path = options.journal.empty() ? default_journal_path() : options.journal;
  } else {
    return Error{"choose host", options.host, "use --host local or --host sim:FILE"};
  }
  if (!options.with_probe) engine.host->probe_listener = nullptr;
  return engine;
}

std::optional<Engine> privileged_engine(const EngineOptions& options, const std::string& what,
                                        int& exit_code) {
  auto engine = make_engine(options);
  if (!engine) {
    spdlog::error("{}", engine.error().message());
    exit_code = kExitInputError;
    return std::nullopt;
  }
  if (!engine.value().privileged) {
    spdlog::error("{}: run it as root (Linux) or as an elevated Administrator or the service (Windows)",
                  what);
    exit_code = kExitNotPermitted;
    return std::nullopt;
  }
  return std::move(engine).value();
}

Result<journal::Journal> open_journal(const Engine& engine) {
  if (auto folder = ensure_journal_folder(engine.journal_path); !folder) return folder.error();
  return journal::Journal::open(engine.journal_path);
}

}  // namespace rdpmend::cli
