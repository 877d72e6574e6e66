#pragma once
// Which Windows event channels the agent subscribes to, and with which filter, derived from the detection
// catalog so that a new rule needs no code: every host-side channel a rule names (not the RDP client's, not
// Security), System filtered to the providers the rules name (by provider name or classic event source).

#include <set>
#include <string>
#include <vector>

namespace rdpmend::agent {

struct WatchedChannel {
  std::string path;   // e.g. "System"
  std::string xpath;  // the Select expression, e.g. "*[System[Provider[@Name='Schannel' or ...]]]"
};

std::vector<WatchedChannel> windows_watched_channels();

// "*[System[Provider[@Name='A' or @EventSourceName='A' or ...]]]"; "*" for none. Names with a quote are left
// out (the catalog has none; XPath 1.0 has no escape for it).
std::string provider_xpath(const std::set<std::string>& providers);

}  // namespace rdpmend::agent
