#pragma once
// What `fix`, `approve`, `rollback` and `history` share: the configuration, the effective policy, the host
// (this machine, or a snapshot file under sim:), its actions, the journal and whether this process may
// change the host. A sim: host's changes are written back to its snapshot file, so a sequence of commands
// (and a restart after a crash) sees them the way it would see a real host's.

#include <memory>
#include <optional>
#include <string>

#include "actions/action.h"
#include "cli/config_file.h"
#include "common/result.h"
#include "inspect/host.h"
#include "journal/journal.h"
#include "policy.h"

namespace rdpmend::cli {

struct EngineOptions {
  std::string host = "local";  // local or sim:FILE
  std::string config;
  std::string journal;  // empty: the platform default, or FILE.journal.db for sim:FILE
  bool with_probe = true;
};

struct Engine {
  ConfigFile config;
  policy::Policy policy;
  std::unique_ptr<inspect::Host> host;
  actions::ActionSet actions;
  bool simulated = false;
  bool privileged = false;  // a sim host is changed by whoever may write its snapshot
  std::string journal_path;
};

Result<Engine> make_engine(const EngineOptions& options);

// make_engine for a command that needs root / Administrator (`what`: "rollback changes the host"); when it
// cannot, says why and returns nullopt with `exit_code` set (3 input, 4 not permitted).
std::optional<Engine> privileged_engine(const EngineOptions& options, const std::string& what,
                                        int& exit_code);

// Opens (creating when needed) the engine's journal.
Result<journal::Journal> open_journal(const Engine& engine);

}  // namespace rdpmend::cli
