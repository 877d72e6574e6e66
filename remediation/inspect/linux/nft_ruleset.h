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
