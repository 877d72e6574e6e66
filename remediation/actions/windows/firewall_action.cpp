// restore-firewall-rules: the Remote Desktop inbound rules through INetFwPolicy2 (COM, HNetCfg.FwPolicy2),
// with the decisions in firewall_plan.h.
//
// check    Administrator; the listener port (PortNumber, default 3389) is a real port; the rule set can be
// read. backup   the listener port and every Remote Desktop rule: name, group, service, ports, protocol,
// direction,
//          on/off.
// apply    switches the Remote Desktop rules that are off back on; creates the missing one (inbound, allow,
//          the listener's port, all profiles, svchost.exe hosting termservice, group "Remote Desktop")
//          named by its stable name; adds "<stable name>-<port>" when the rules do not cover a changed port.
// verify   a fresh inspection finds both rules present and on, and nothing blocking the listener's port.
// rollback the saved rules back to their saved on/off state; the rules this action may have created that the
//          backup does not list are removed.
// Rules deployed by Group Policy override local ones and are not changed here. Wine only stubs this API
// (E_NOTIMPL), so under Wine check and backup fail with that text.
#include <windows.h>

#include <netfw.h>
#include <wrl/client.h>

#include <utility>

#include "actions/windows/administrator.h"
#include "actions/windows/firewall_plan.h"
#include "actions/windows/windows_actions.h"
#include "inspect/windows/firewall.h"
#include "inspect/windows/firewall_com.h"
#include "inspect/windows/status_text.h"
#include "platform/windows/com.h"
#include "platform/windows/win_text.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;
using Microsoft::WRL::ComPtr;
using windows::FirewallRuleSnapshot;
using windows::FirewallStep;

constexpr const wchar_t* kSvchost = L"%SystemRoot%\\system32\\svchost.exe";

std::string hr_text(HRESULT hr) {
  return inspect::windows::status_text(hr);
}

FirewallRuleSnapshot snapshot(INetFwRule* rule) {
  auto read = inspect::windows::read_rule_properties(rule);
  FirewallRuleSnapshot s;
  s.name = std::move(read.name);
  s.grouping = std::move(read.grouping);
  s.service = std::move(read.service);
  s.local_ports = std::move(read.local_ports);
  s.protocol = read.protocol;
  s.inbound = read.inbound;
  s.enabled = read.enabled;
  return s;
}

// The firewall policy and its Remote Desktop rules, each with its COM object.
struct RuleSet {
  ComPtr<INetFwPolicy2> policy;
  ComPtr<INetFwRules> rules;
  std::vector<FirewallRuleSnapshot> snapshots;
  std::vector<ComPtr<INetFwRule>> objects;
};

Result<RuleSet> read_rules(const std::string& what) {
  RuleSet set;
  HRESULT hr = inspect::windows::create_firewall_policy(set.policy);
  if (FAILED(hr)) return Error{what, "HNetCfg.FwPolicy2", "create INetFwPolicy2: " + hr_text(hr)};
  auto all = inspect::windows::read_firewall_rules(set.policy.Get(), what, "the rules");
  if (!all) return all.error();
  set.rules = std::move(all.value().collection);
  for (auto& rule : all.value().rules) {
    auto s = snapshot(rule.Get());
    if (!windows::remote_desktop_rule_of(s)) continue;
    set.snapshots.push_back(std::move(s));
    set.objects.push_back(std::move(rule));
  }
  return set;
}

// COM up, the rules read, and `use` run on them while COM still is: what check, backup, apply and rollback
// each do first.
template <typename Use>
auto with_rules(const std::string& what, Use&& use) -> decltype(use(std::declval<RuleSet&>())) {
  win::ComScope com;
  if (!com.usable()) return Error{what, "COM", "initialize COM: " + hr_text(com.result())};
  auto rules = read_rules(what);
  if (!rules) return rules.error();
  return use(rules.value());
}

Status create_rule(INetFwRules* rules, const FirewallStep& step, const std::string& what) {
  ComPtr<INetFwRule> rule;
  HRESULT hr = inspect::windows::create_firewall_rule(rule);
  if (FAILED(hr)) return Error{what, win::narrow(step.name), "create HNetCfg.FWRule: " + hr_text(hr)};
  win::Bstr name(step.name), group(inspect::windows::kRemoteDesktopGroup), service(L"termservice"),
      application(kSvchost), ports(step.local_ports);
  const HRESULT results[] = {rule->put_Name(name.get()),
                             rule->put_Grouping(group.get()),
                             rule->put_ApplicationName(application.get()),
                             rule->put_ServiceName(service.get()),
                             rule->put_Protocol(step.protocol),
                             rule->put_LocalPorts(ports.get()),
                             rule->put_Direction(NET_FW_RULE_DIR_IN),
                             rule->put_Action(NET_FW_ACTION_ALLOW),
                             rule->put_Profiles(NET_FW_PROFILE2_ALL),
                             rule->put_Enabled(VARIANT_TRUE)};
  for (HRESULT r : results)
    if (FAILED(r))
      return Error{what, win::narrow(step.name), "describe the new rule (INetFwRule::put_*): " + hr_text(r)};
  hr = rules->Add(rule.Get());
  if (FAILED(hr))
    return Error{what, win::narrow(step.name), "add the rule (INetFwRules::Add): " + hr_text(hr)};
  return Ok{};
}

Status run(RuleSet& set, const std::vector<FirewallStep>& steps, const std::string& what) {
  for (const auto& step : steps) {
    switch (step.kind) {
      case FirewallStep::Kind::kEnable:
      case FirewallStep::Kind::kDisable: {
        const bool on = step.kind == FirewallStep::Kind::kEnable;
        HRESULT hr = set.objects.at(step.index)->put_Enabled(on ? VARIANT_TRUE : VARIANT_FALSE);
        if (FAILED(hr))
          return Error{what, win::narrow(set.snapshots.at(step.index).name),
                       std::string(on ? "switch the rule on" : "switch the rule off") +
                           " (INetFwRule::put_Enabled): " + hr_text(hr)};
        break;
      }
      case FirewallStep::Kind::kCreate:
        if (auto created = create_rule(set.rules.Get(), step, what); !created) return created;
        break;
      case FirewallStep::Kind::kRemove: {
        win::Bstr name(step.name);
        HRESULT hr = set.rules->Remove(name.get());
        if (FAILED(hr))
          return Error{what, win::narrow(step.name), "remove the rule (INetFwRules::Remove): " + hr_text(hr)};
        break;
      }
    }
  }
  return Ok{};
}

class RestoreFirewallRules final : public Action {
 public:
  explicit RestoreFirewallRules(WindowsActionConfig config) : config_(std::move(config)) {}
  std::string_view id() const override { return ids::action::kRestoreFirewallRules; }
  std::string target(const HostState&) const override {
    return std::string(inspect::windows::kRdpRuleTcp) + ", " + inspect::windows::kRdpRuleUdp;
  }

  Status check(const HostState& state) override {
    if (auto admin = windows::require_administrator(config_, id()); !admin) return admin;
    auto port = listener_port(state);
    if (!port) return port.error();
    return with_rules(std::string(id()), [](RuleSet&) -> Status { return Ok{}; });
  }

  Result<Backup> backup(const HostState& state) override {
    const std::string what = "back up the Remote Desktop firewall rules";
    auto port = listener_port(state);
    if (!port) return port.error();
    return with_rules(what, [&](RuleSet& rules) -> Result<Backup> {
      return Backup{
          Json{{"port", port.value()}, {"rules", windows::firewall_rules_to_json(rules.snapshots)}}};
    });
  }

  Status apply(const HostState& state, const Backup&) override {
    const std::string what = "restore the Remote Desktop firewall rules";
    auto port = listener_port(state);
    if (!port) return port.error();
    return with_rules(what, [&](RuleSet& rules) {
      return run(rules, windows::plan_firewall_restore(rules.snapshots, port.value()), what);
    });
  }

  Status verify(const HostState& after) override {
    const std::string what = "verify " + std::string(id());
    const auto& fw = after.firewall;
    if (!fw.error.empty()) return Error{what, target(after), fw.error};
    for (const char* name : {inspect::windows::kRdpRuleTcp, inspect::windows::kRdpRuleUdp}) {
      const inspect::FirewallRule* found = nullptr;
      for (const auto& r : fw.rules)
        if (r.name == name) found = &r;
      if (!found || !found->present) return Error{what, name, "the rule is still missing"};
      if (found->enabled != true) return Error{what, name, "the rule is still off"};
    }
    if (fw.blocks_rdp_port == true)
      return Error{what, target(after), "the listener's port is still blocked: " + fw.detail};
    return Ok{};
  }

  Status rollback(const Backup& backup) override {
    const std::string what = "put the Remote Desktop firewall rules back";
    if (!backup.data.is_object() || !backup.data.contains("rules"))
      return Error{what, "", "the backup is damaged: no \"rules\""};
    auto saved = windows::firewall_rules_from_json(backup.data["rules"]);
    if (!saved) return saved.error();
    return with_rules(what, [&](RuleSet& rules) {
      return run(rules, windows::plan_firewall_rollback(saved.value(), rules.snapshots), what);
    });
  }

 private:
  Result<std::uint16_t> listener_port(const HostState& state) const {
    const std::uint16_t port = state.listener.port.value_or(3389);  // PortNumber absent: the default
    if (port == 0) return Error{std::string(id()), "PortNumber", "refused: the listener port is 0"};
    return port;
  }

  WindowsActionConfig config_;
};

}  // namespace

std::unique_ptr<Action> make_firewall_action(const WindowsActionConfig& config) {
  return std::make_unique<RestoreFirewallRules>(config);
}

}  // namespace rdpmend::actions
