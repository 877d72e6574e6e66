#pragma once
// restore-firewall-rules on an xrdp host with nftables. nftables evaluates every base chain on the input
// hook and a drop in any of them is final, so an accept in a table of RdpMend's own could not lift a block
// in another table. Instead, each blocking chain gets one rule `tcp dport PORT accept`, tagged with a
// comment: right before the rule that drops the port, or at the end of a chain whose policy drops (so the
// administrator's earlier rules, e.g. address allowlists or rate limits, still apply first). Rollback deletes
// exactly the tagged rules, which restores the prior ruleset.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actions/action.h"
#include "common/result.h"
#include "inspect/linux/nft_ruleset.h"

namespace rdpmend::actions {

// The commands it runs are inspect::linux_host::nft_accept_commands (the inspection shows the same to an
// administrator as the firewall's restore_commands).
// `nft` is the program's absolute path (/usr/sbin/nft).
std::unique_ptr<Action> make_nft_firewall_action(std::string nft);

}  // namespace rdpmend::actions
