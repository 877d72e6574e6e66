#pragma once
// Reads `nft -j list ruleset` and tells whether it blocks TCP to a port on input. Conservative: a rule
// that matches the port (or matches nothing) and drops or rejects blocks it; so does an input chain whose
// policy is drop with no rule accepting the port. Rules matching on other fields (addresses, interfaces)
// are not judged: their effect depends on the client.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect::linux_host {

Result<FirewallState> judge_nft_ruleset(const std::string& json_text, std::uint16_t port);

// Where TCP to the port is blocked: a drop/reject rule (its handle), or a chain's drop policy (no handle).
// Every input chain is evaluated, so each block must be lifted in its own chain.
struct NftBlock {
  std::string family;
  std::string table;
  std::string chain;
  std::optional<std::int64_t> rule_handle;
  std::string detail;  // in words
};
Result<std::vector<NftBlock>> find_nft_blocks(const std::string& json_text, std::uint16_t port);

// The comment on every rule restore-firewall-rules adds (its rollback deletes exactly those).
inline constexpr const char* kNftRuleComment = "rdpmend restore-firewall-rules";

// The nft argv lines that lift the blocks: in each blocking chain, `tcp dport PORT accept` with the comment,
// right before the rule that drops the port or at the end of a chain whose policy drops. `nft` is the
// program as it is to be run. A family, table or chain name nft could misread is refused: nft parses its
// arguments as one command line.
Result<std::vector<std::vector<std::string>>> nft_accept_commands(const std::string& nft,
                                                                  const std::vector<NftBlock>& blocks,
                                                                  std::uint16_t port);
bool nft_plain_name(const std::string& name);
bool nft_known_family(const std::string& family);

// A rule found by its comment (the rules RdpMend added), to delete by handle.
struct NftRuleRef {
  std::string family;
  std::string table;
  std::string chain;
  std::int64_t handle = 0;
};
Result<std::vector<NftRuleRef>> find_nft_rules_with_comment(const std::string& json_text,
                                                            const std::string& comment);

}  // namespace rdpmend::inspect::linux_host
