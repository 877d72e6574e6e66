#include "inspect/windows/firewall_com.h"

#include "inspect/windows/status_text.h"
#include "platform/windows/com.h"

namespace rdpmend::inspect::windows {
namespace {

using Microsoft::WRL::ComPtr;

// CLSID_NetFwPolicy2 and CLSID_NetFwRule (netfw.h), spelled out: <initguid.h> would define every GUID of the
// headers included after it, and libuuid has no definition of these. The interfaces' IIDs come from
// __uuidof.
constexpr CLSID kClsidNetFwPolicy2{
    0xe2b3c97f, 0x6ae1, 0x41ac, {0x81, 0x7a, 0xf6, 0xf9, 0x21, 0x66, 0xd7, 0xdd}};
constexpr CLSID kClsidNetFwRule{0x2c5bc43e, 0x3369, 0x4c33, {0xab, 0x0c, 0xbe, 0x94, 0x69, 0x67, 0x7a, 0xf4}};

// A call that succeeded without giving the object it promised is reported as E_POINTER, not as success.
std::string failure_text(HRESULT hr) {
  return status_text(FAILED(hr) ? hr : E_POINTER);
}

}  // namespace

HRESULT create_firewall_policy(ComPtr<INetFwPolicy2>& policy) {
  return CoCreateInstance(kClsidNetFwPolicy2, nullptr, CLSCTX_INPROC_SERVER, IID_PPV_ARGS(&policy));
}

HRESULT create_firewall_rule(ComPtr<INetFwRule>& rule) {
  return CoCreateInstance(kClsidNetFwRule, nullptr, CLSCTX_INPROC_SERVER, IID_PPV_ARGS(&rule));
}

FirewallRuleProperties read_rule_properties(INetFwRule* rule) {
  FirewallRuleProperties info;
  win::Bstr text;
  if (SUCCEEDED(rule->get_Name(text.out()))) info.name = text.str();
  if (SUCCEEDED(rule->get_Grouping(text.out()))) info.grouping = text.str();
  if (SUCCEEDED(rule->get_ApplicationName(text.out()))) info.application = text.str();
  if (SUCCEEDED(rule->get_ServiceName(text.out()))) info.service = text.str();
  if (SUCCEEDED(rule->get_LocalPorts(text.out()))) info.local_ports = text.str();
  (void)rule->get_Protocol(&info.protocol);
  (void)rule->get_Profiles(&info.profiles);
  VARIANT_BOOL enabled = VARIANT_FALSE;
  if (SUCCEEDED(rule->get_Enabled(&enabled))) info.enabled = enabled != VARIANT_FALSE;
  NET_FW_RULE_DIRECTION direction = NET_FW_RULE_DIR_OUT;
  if (SUCCEEDED(rule->get_Direction(&direction))) info.inbound = direction == NET_FW_RULE_DIR_IN;
  NET_FW_ACTION action = NET_FW_ACTION_BLOCK;
  if (SUCCEEDED(rule->get_Action(&action))) info.allow = action == NET_FW_ACTION_ALLOW;
  return info;
}

Result<FirewallRuleObjects> read_firewall_rules(INetFwPolicy2* policy, const std::string& what,
                                                std::string_view rules) {
  const std::string named(rules);
  FirewallRuleObjects out;
  HRESULT hr = policy->get_Rules(&out.collection);
  if (FAILED(hr) || !out.collection)
    return Error{what, "INetFwPolicy2", "read " + named + " (INetFwPolicy2::get_Rules): " + failure_text(hr)};
  ComPtr<IUnknown> unknown;
  hr = out.collection->get__NewEnum(&unknown);
  ComPtr<IEnumVARIANT> items;
  if (SUCCEEDED(hr) && unknown) hr = unknown.As(&items);
  if (FAILED(hr) || !items)
    return Error{what, "INetFwPolicy2",
                 "enumerate " + named + " (INetFwRules::get__NewEnum): " + failure_text(hr)};
  for (;;) {
    win::Variant item;
    ULONG fetched = 0;
    hr = items->Next(1, item.get(), &fetched);
    if (FAILED(hr))
      return Error{what, "INetFwPolicy2", "enumerate " + named + " (IEnumVARIANT::Next): " + status_text(hr)};
    if (hr == S_FALSE || fetched == 0) break;
    if (item.get()->vt != VT_DISPATCH || !item.get()->pdispVal) continue;
    ComPtr<INetFwRule> rule;
    if (SUCCEEDED(item.get()->pdispVal->QueryInterface(IID_PPV_ARGS(&rule))))
      out.rules.push_back(std::move(rule));
  }
  return out;
}

}  // namespace rdpmend::inspect::windows
