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
#include <oleauto.h>
#include <wrl/client.h>

#include "actions/windows/administrator.h"
#include "actions/windows/firewall_plan.h"
#include "actions/windows/windows_actions.h"
#include "inspect/windows/firewall.h"
#include "inspect/windows/status_text.h"
#include "platform/windows/win_text.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;
using Microsoft::WRL::ComPtr;
using windows::FirewallRuleSnapshot;
using windows::FirewallStep;

// CLSID_NetFwPolicy2 and CLSID_NetFwRule (netfw.h), spelled out: <initguid.h> would define every GUID of the
// headers after it, and libuuid has no definition of these.
constexpr CLSID kClsidNetFwPolicy2{
    0xe2b3c97f, 0x6ae1, 0x41ac, {0x81, 0x7a, 0xf6, 0xf9, 0x21, 0x66, 0xd7, 0xdd}};
constexpr CLSID kClsidNetFwRule{0x2c5bc43e, 0x3369, 0x4c33, {0xab, 0x0c, 0xbe, 0x94, 0x69, 0x67, 0x7a, 0xf4}};
constexpr const wchar_t* kSvchost = L"%SystemRoot%\\system32\\svchost.exe";

std::string hr_text(HRESULT hr) {
  return inspect::windows::status_text(hr);
}

class ComScope {
 public:
  ComScope() : hr_(CoInitializeEx(nullptr, COINIT_MULTITHREADED)) {}
  ComScope(const ComScope&) = delete;
  ComScope& operator=(const ComScope&) = delete;
  ~ComScope() {
    if (SUCCEEDED(hr_)) CoUninitialize();
  }
  bool usable() const { return SUCCEEDED(hr_) || hr_ == RPC_E_CHANGED_MODE; }
  HRESULT result() const { return hr_; }

 private:
  HRESULT hr_;
};

class Bstr {
 public:
  Bstr() = default;
  explicit Bstr(const std::wstring& text)
      : s_(SysAllocStringLen(text.data(), static_cast<UINT>(text.size()))) {}
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  ~Bstr() { SysFreeString(s_); }
  BSTR get() const { return s_; }
  BSTR* out() {
    SysFreeString(s_);
    s_ = nullptr;
    return &s_;
  }
  std::wstring str() const { return s_ ? std::wstring(s_, SysStringLen(s_)) : std::wstring(); }

 private:
  BSTR s_ = nullptr;
};

class Variant {
 public:
  Variant() { VariantInit(&v_); }
  Variant(const Variant&) = delete;
  Variant& operator=(const Variant&) = delete;
  ~Variant() { VariantClear(&v_); }
  VARIANT* get() { return &v_; }

 private:
  VARIANT v_;
};

FirewallRuleSnapshot snapshot(INetFwRule* rule) {
  FirewallRuleSnapshot s;
  Bstr text;
  if (SUCCEEDED(rule->get_Name(text.out()))) s.name = text.str();
  if (SUCCEEDED(rule->get_Grouping(text.out()))) s.grouping = text.str();
  if (SUCCEEDED(rule->get_ServiceName(text.out()))) s.service = text.str();
  if (SUCCEEDED(rule->get_LocalPorts(text.out()))) s.local_ports = text.str();
  (void)rule->get_Protocol(&s.protocol);
  VARIANT_BOOL enabled = VARIANT_FALSE;
  if (SUCCEEDED(rule->get_Enabled(&enabled))) s.enabled = enabled != VARIANT_FALSE;
  NET_FW_RULE_DIRECTION direction = NET_FW_RULE_DIR_OUT;
  if (SUCCEEDED(rule->get_Direction(&direction))) s.inbound = direction == NET_FW_RULE_DIR_IN;
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
  HRESULT hr = CoCreateInstance(kClsidNetFwPolicy2, nullptr, CLSCTX_INPROC_SERVER, IID_PPV_ARGS(&set.policy));
  if (FAILED(hr)) return Error{what, "HNetCfg.FwPolicy2", "create INetFwPolicy2: " + hr_text(hr)};
  hr = set.policy->get_Rules(&set.rules);
  if (FAILED(hr) || !set.rules)
    return Error{what, "INetFwPolicy2",
                 "read the rules (INetFwPolicy2::get_Rules): " + hr_text(FAILED(hr) ? hr : E_POINTER)};
  ComPtr<IUnknown> unknown;
  hr = set.rules->get__NewEnum(&unknown);
  ComPtr<IEnumVARIANT> items;
  if (SUCCEEDED(hr) && unknown) hr = unknown.As(&items);
  if (FAILED(hr) || !items)
    return Error{what, "INetFwPolicy2",
                 "enumerate the rules (INetFwRules::get__NewEnum): " + hr_text(FAILED(hr) ? hr : E_POINTER)};
  for (;;) {
    Variant item;
    ULONG fetched = 0;
    hr = items->Next(1, item.get(), &fetched);
    if (FAILED(hr))
      return Error{what, "INetFwPolicy2", "enumerate the rules (IEnumVARIANT::Next): " + hr_text(hr)};
    if (hr == S_FALSE || fetched == 0) break;
    if (item.get()->vt != VT_DISPATCH || !item.get()->pdispVal) continue;
    ComPtr<INetFwRule> rule;
    if (FAILED(item.get()->pdispVal->QueryInterface(IID_PPV_ARGS(&rule)))) continue;
    auto s = snapshot(rule.Get());
    if (!windows::remote_desktop_rule_of(s)) continue;
    set.snapshots.push_back(std::move(s));
    set.objects.push_back(std::move(rule));
  }
  return set;
}

Status create_rule(INetFwRules* rules, const FirewallStep& step, const std::string& what) {
  ComPtr<INetFwRule> rule;
  HRESULT hr = CoCreateInstance(kClsidNetFwRule, nullptr, CLSCTX_INPROC_SERVER, IID_PPV_ARGS(&rule));
  if (FAILED(hr)) return Error{what, win::narrow(step.name), "create HNetCfg.FWRule: " + hr_text(hr)};
  Bstr name(step.name), group(inspect::windows::kRemoteDesktopGroup), service(L"termservice"),
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
        Bstr name(step.name);
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
  std::string_view id() const override { return kRestoreFirewallRules; }
  std::string target(const HostState&) const override {
    return std::string(inspect::windows::kRdpRuleTcp) + ", " + inspect::windows::kRdpRuleUdp;
  }

  Status check(const HostState& state) override {
    if (auto admin = windows::require_administrator(config_, id()); !admin) return admin;
    auto port = listener_port(state);
    if (!port) return port.error();
    ComScope com;
    if (!com.usable()) return Error{std::string(id()), "COM", "initialize COM: " + hr_text(com.result())};
    auto rules = read_rules(std::string(id()));
    if (!rules) return rules.error();
    return Ok{};
  }

  Result<Backup> backup(const HostState& state) override {
    const std::string what = "back up the Remote Desktop firewall rules";
    auto port = listener_port(state);
    if (!port) return port.error();
    ComScope com;
    if (!com.usable()) return Error{what, "COM", "initialize COM: " + hr_text(com.result())};
    auto rules = read_rules(what);
    if (!rules) return rules.error();
    return Backup{
        Json{{"port", port.value()}, {"rules", windows::firewall_rules_to_json(rules.value().snapshots)}}};
  }

  Status apply(const HostState& state, const Backup&) override {
    const std::string what = "restore the Remote Desktop firewall rules";
    auto port = listener_port(state);
    if (!port) return port.error();
    ComScope com;
    if (!com.usable()) return Error{what, "COM", "initialize COM: " + hr_text(com.result())};
    auto rules = read_rules(what);
    if (!rules) return rules.error();
    return run(rules.value(), windows::plan_firewall_restore(rules.value().snapshots, port.value()), what);
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
    ComScope com;
    if (!com.usable()) return Error{what, "COM", "initialize COM: " + hr_text(com.result())};
    auto rules = read_rules(what);
    if (!rules) return rules.error();
    return run(rules.value(), windows::plan_firewall_rollback(saved.value(), rules.value().snapshots), what);
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
