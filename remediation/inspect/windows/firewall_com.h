#pragma once
// INetFwPolicy2 (COM, HNetCfg.FwPolicy2) as the firewall inspector and restore-firewall-rules both use it:
// the policy and new rule objects, one rule's properties, and every rule of the policy. COM must be
// initialized on the calling thread (win::ComScope) for as long as the objects live. Wine only stubs this
// API: enumerating the rules fails there with E_NOTIMPL.

#include <windows.h>

#include <netfw.h>
#include <wrl/client.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace rdpmend::inspect::windows {

// CoCreateInstance of HNetCfg.FwPolicy2 and of HNetCfg.FWRule (a rule not yet in any policy).
HRESULT create_firewall_policy(Microsoft::WRL::ComPtr<INetFwPolicy2>& policy);
HRESULT create_firewall_rule(Microsoft::WRL::ComPtr<INetFwRule>& rule);

struct FirewallRuleProperties {
  std::wstring name;  // INetFwRule::Name (the display name of a built-in rule, not its stable name)
  std::wstring grouping;
  std::wstring application;
  std::wstring service;
  std::wstring local_ports;
  long protocol = 0;
  long profiles = 0;
  bool enabled = false;
  bool inbound = false;
  bool allow = false;
};

// The properties that fail to read keep their defaults: a rule that cannot be read is not counted as
// allowing anything.
FirewallRuleProperties read_rule_properties(INetFwRule* rule);

struct FirewallRuleObjects {
  Microsoft::WRL::ComPtr<INetFwRules> collection;  // where rules are added and removed
  std::vector<Microsoft::WRL::ComPtr<INetFwRule>> rules;
};

// Every rule of `policy`, in the order the policy lists them. On failure: Error{what, "INetFwPolicy2",
// "read <rules> (INetFwPolicy2::get_Rules): ..."} or "enumerate <rules> (<the call>): ...", `rules` naming
// them as the caller's own messages do ("the rules", "the firewall rules").
Result<FirewallRuleObjects> read_firewall_rules(INetFwPolicy2* policy, const std::string& what,
                                                std::string_view rules);

}  // namespace rdpmend::inspect::windows
