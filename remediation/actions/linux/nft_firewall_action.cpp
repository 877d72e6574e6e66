#include "actions/linux/nft_firewall_action.h"

#include <unistd.h>

#include <algorithm>

#include "catalog/catalog_ids.h"
#include "inspect/linux/run_command.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using inspect::linux_host::run_command;
using Json = nlohmann::json;

constexpr const char* kId = ids::action::kRestoreFirewallRules;

using inspect::linux_host::kNftRuleComment;
using inspect::linux_host::nft_accept_commands;
using inspect::linux_host::nft_known_family;
using inspect::linux_host::nft_plain_name;

std::uint16_t listener_port(const HostState& s) {
  return s.listener.port.value_or(3389);
}

Result<std::string> nft_output(const std::vector<std::string>& argv) {
  auto out = run_command(argv, std::chrono::seconds(10));
  if (!out) return out.error();
  if (out.value().exit_status != 0)
    return Error{
        kId, argv.size() > 1 ? argv[1] + " " + (argv.size() > 2 ? argv[2] : "") : argv[0],
        "nft exit status " + std::to_string(out.value().exit_status) + ": " + out.value().err.substr(0, 300)};
  return out.value().out;
}

class NftFirewall final : public Action {
 public:
  explicit NftFirewall(std::string nft) : nft_(std::move(nft)) {}
  std::string_view id() const override { return kId; }
  std::string target(const HostState& s) const override {
    return "nftables input tcp/" + std::to_string(listener_port(s));
  }

  Status check(const HostState& s) override {
    if (geteuid() != 0) return Error{kId, "", "changing the host needs root"};
    if (access(nft_.c_str(), X_OK) != 0) return Error{kId, nft_, "nft is not installed"};
    auto blocks = current_blocks(listener_port(s));
    if (!blocks) return blocks.error();
    if (blocks.value().empty()) return Error{kId, target(s), "nothing blocks the port now"};
    if (auto commands = nft_accept_commands(nft_, blocks.value(), listener_port(s)); !commands)
      return commands.error();
    return Ok{};
  }
  // The rules are only added, never changed: the blocks found are the record; rollback deletes the tagged
  // rules.
  Result<Backup> backup(const HostState& s) override {
    auto blocks = current_blocks(listener_port(s));
    if (!blocks) return blocks.error();
    Json j = {{"port", listener_port(s)}, {"comment", kNftRuleComment}, {"blocks", Json::array()}};
    for (const auto& b : blocks.value())
      j["blocks"].push_back({{"family", b.family},
                             {"table", b.table},
                             {"chain", b.chain},
                             {"rule_handle", b.rule_handle ? Json(*b.rule_handle) : Json()},
                             {"detail", b.detail}});
    return Backup{j};
  }
  Status apply(const HostState& s, const Backup&) override {
    auto blocks = current_blocks(listener_port(s));
    if (!blocks) return blocks.error();
    auto commands = nft_accept_commands(nft_, blocks.value(), listener_port(s));
    if (!commands) return commands.error();
    for (const auto& argv : commands.value())
      if (auto out = nft_output(argv); !out) return out.error();
    return Ok{};
  }
  Status verify(const HostState& after) override {
    if (after.firewall.blocks_rdp_port.value_or(true))
      return Error{"verify firewall", target(after),
                   after.firewall.detail.empty() ? after.firewall.error : after.firewall.detail};
    return Ok{};
  }
  Status rollback(const Backup&) override {
    auto ruleset = nft_output({nft_, "-j", "list", "ruleset"});
    if (!ruleset) return ruleset.error();
    auto ours = inspect::linux_host::find_nft_rules_with_comment(ruleset.value(), kNftRuleComment);
    if (!ours) return ours.error();
    for (const auto& r : ours.value()) {
      if (!nft_known_family(r.family) || !nft_plain_name(r.table) || !nft_plain_name(r.chain))
        return Error{"roll back firewall", r.table + " " + r.chain, "a name nft could misread"};
      if (auto out = nft_output(
              {nft_, "delete", "rule", r.family, r.table, r.chain, "handle", std::to_string(r.handle)});
          !out)
        return out.error();
    }
    return Ok{};
  }

 private:
  Result<std::vector<inspect::linux_host::NftBlock>> current_blocks(std::uint16_t port) {
    auto ruleset = nft_output({nft_, "-j", "list", "ruleset"});
    if (!ruleset) return ruleset.error();
    return inspect::linux_host::find_nft_blocks(ruleset.value(), port);
  }

  std::string nft_;
};

}  // namespace

std::unique_ptr<Action> make_nft_firewall_action(std::string nft) {
  return std::make_unique<NftFirewall>(std::move(nft));
}

}  // namespace rdpmend::actions
