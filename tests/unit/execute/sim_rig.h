#pragma once
// A simulated host whose snapshot lives in a file (as `--host sim:FILE` keeps it), its actions, and a
// journal next to it: what a process of rdpmend holds, so a test can drop it (a crash) and build it again.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "actions/sim/sim_actions.h"
#include "execute/pass.h"
#include "inspect/host_state_json.h"
#include "inspect/sim/sim_host.h"
#include "journal/journal.h"
#include "test_folder.h"
#include "test_snapshot.h"

namespace rdpmend::execute::test {

// The MachineKeys ACL drifted and the certificate expired: repair, regenerate, restart.
inline void break_windows_host(inspect::HostState& s) {
  s.machinekeys_acl->matches_default = false;
  s.machinekeys_acl->file.sddl = "O:SYG:SYD:PAI(A;;FA;;;WD)";
  s.certificate.info->expired = true;
}

inline void write_snapshot(const std::filesystem::path& file, const inspect::HostState& s) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << inspect::host_state_to_json(s).dump(2);
}

inline std::string snapshot_text(const inspect::HostState& s) {
  return inspect::host_state_to_json(s).dump();
}

// One "process": the host loaded from the file, the actions writing every change back to it, the journal.
struct Process {
  std::shared_ptr<inspect::HostState> state;
  std::shared_ptr<actions::SimFaults> faults = std::make_shared<actions::SimFaults>();
  actions::ActionSet actions;
  std::unique_ptr<inspect::Host> host;
  std::optional<journal::Journal> journal;

  Process(const std::filesystem::path& snapshot, const std::string& journal_path) {
    auto loaded = inspect::load_snapshot(snapshot);
    if (!loaded) throw std::runtime_error(loaded.error().message());
    state = std::make_shared<inspect::HostState>(std::move(loaded).value());
    actions = actions::make_sim_actions(
        state, faults, [snapshot](const inspect::HostState& s) { write_snapshot(snapshot, s); });
    host = inspect::make_sim_host(state);
    auto opened = journal::Journal::open(journal_path);
    if (!opened) throw std::runtime_error(opened.error().message());
    journal.emplace(std::move(opened).value());
  }

  ExecutorContext context(bool privileged = true) {
    ExecutorContext ctx;
    ctx.journal = &*journal;
    ctx.actions = &actions;
    ctx.reinspect = [this] { return inspect::inspect_host(*host, std::chrono::system_clock::now(), 14); };
    ctx.privileged = privileged;
    return ctx;
  }

  Result<PassResult> pass(const policy::Policy& policy, PassOptions options) {
    PassInput input;
    input.host = host.get();
    input.actions = &actions;
    input.journal = &*journal;
    input.policy = &policy;
    return run_pass(input, options);
  }
};

class SimRig : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = rdpmend::test::fresh_test_folder();
    snapshot_ = folder_ / "host.json";
    journal_path_ = (folder_ / "journal.db").string();
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  void start_with(const std::function<void(inspect::HostState&)>& fault) {
    auto s = ::rdpmend::test::healthy_windows_host();
    fault(s);
    write_snapshot(snapshot_, s);
  }
  Process process() { return Process(snapshot_, journal_path_); }

  static policy::Policy policy_with(std::map<std::string, policy::RawValue> values) {
    return policy::build_policy({policy::SourceValues{policy::Layer::kLocal, "test", std::move(values)}});
  }
  static policy::Policy auto_policy() {
    return policy_with({{"Mode", std::string("Auto")},
                        {"AllowRegenerateRdpCert", true},
                        {"AllowRestoreFirewallRules", true},
                        {"AllowRestartRdpService", true},
                        {"AllowServiceRestartWithActiveSessions", true}});
  }

  // A policy that regenerates the certificate with no cooldown (and no restart, so that only its breaker
  // opens), and four passes that each find it expired again and regenerate it: enough for the circuit
  // breaker to open on the next pass.
  static policy::Policy regenerate_until_breaker_opens(Process& p) {
    auto policy = policy_with({{"Mode", std::string("Auto")},
                               {"AllowRegenerateRdpCert", true},
                               {"AllowRestartRdpService", false},
                               {"CooldownMinutes", 0}});
    for (int i = 0; i < 4; ++i) {
      p.state->certificate.info->expired = true;
      PassOptions privileged;  // a fresh one each time: it carries the pass's time
      privileged.privileged = true;
      EXPECT_TRUE(p.pass(policy, privileged));
    }
    p.state->certificate.info->expired = true;
    return policy;
  }

  std::filesystem::path folder_;
  std::filesystem::path snapshot_;
  std::string journal_path_;
};

}  // namespace rdpmend::execute::test
