#pragma once
// Reads `nft -j list ruleset` and tells whether it blocks TCP to a port on input. Conservative: a rule
// that matches the port (or matches nothing) and drops or rejects blocks it; so does an input chain whose
// policy is drop with no rule accepting the port. Rules matching on other fields (addresses, interfaces)
// are not judged: their effect depends on the client.

#include <cstdint>
#include <string>

#include "common/result.h"
#include "inspect/host_state.h"

namespace rdpmend::inspect::linux_host {

Result<FirewallState> judge_nft_ruleset(const std::string& json_text, std::uint16_t port);

}  // namespace rdpmend::inspect::linux_host
