#pragma once
// What restore-firewall-rules changes, decided from a snapshot of the rules (plain code, no COM: the tests
// run it under Wine, whose firewall API is a stub). A rule stands for one of the two Remote Desktop inbound
// rules (RemoteDesktop-UserMode-In-TCP / -UDP) when its name is the stable name (or a rule this action
// created, stable name + "-<port>"), or when it is an inbound rule of the "Remote Desktop" group
// (@FirewallAPI.dll,-28752) for service termservice with that protocol: the same rule as the firewall
// inspector's (INetFwRule does not expose the stable registry name of a built-in rule; reference 5.2).
//
// Restore: every such rule that is off is switched on; a protocol with no such rule gets one, named by the
// stable name, for the listener's port (PortNumber); a protocol whose rules do not cover the listener's port
// (the port was changed, reference 5.3) gets one more, "<stable name>-<port>". Nothing else is widened: no
// rule's profiles, addresses or ports are edited. Rollback: the rules the backup lists go back to their
// saved on/off state, and a rule this action could have created that the backup does not list is removed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace rdpmend::actions::windows {

inline constexpr long kFwProtocolTcp = 6;
inline constexpr long kFwProtocolUdp = 17;

struct FirewallRuleSnapshot {
  std::wstring name;  // INetFwRule::Name
  std::wstring grouping;
  std::wstring service;
  std::wstring local_ports;
  long protocol = 0;
  bool inbound = false;
  bool enabled = false;
};

// "RemoteDesktop-UserMode-In-TCP" / "-UDP" when the rule stands for one of them, else nullopt.
std::optional<std::string> remote_desktop_rule_of(const FirewallRuleSnapshot& rule);

struct FirewallStep {
  enum class Kind { kEnable, kDisable, kCreate, kRemove };
  Kind kind = Kind::kEnable;
  std::size_t index = 0;     // kEnable / kDisable: the rule in the snapshot given to the planner
  std::wstring name;         // kCreate / kRemove
  long protocol = 0;         // kCreate
  std::wstring local_ports;  // kCreate
};

std::vector<FirewallStep> plan_firewall_restore(const std::vector<FirewallRuleSnapshot>& rules,
                                                std::uint16_t port);
std::vector<FirewallStep> plan_firewall_rollback(const std::vector<FirewallRuleSnapshot>& saved,
                                                 const std::vector<FirewallRuleSnapshot>& now);

// The Remote Desktop rules of a snapshot as backup JSON, and back (a damaged backup is an Error).
nlohmann::json firewall_rules_to_json(const std::vector<FirewallRuleSnapshot>& rules);
Result<std::vector<FirewallRuleSnapshot>> firewall_rules_from_json(const nlohmann::json& rules);

}  // namespace rdpmend::actions::windows
