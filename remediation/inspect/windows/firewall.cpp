#include "inspect/windows/firewall.h"

#include <windows.h>

#include <netfw.h>
#include <wrl/client.h>

#include <algorithm>
#include <string>
#include <vector>

#include "inspect/windows/firewall_com.h"
#include "inspect/windows/status_text.h"
#include "platform/windows/com.h"
#include "platform/windows/win_text.h"

namespace rdpmend::inspect::windows {
namespace {

using Microsoft::WRL::ComPtr;

constexpr long kProtocolTcp = 6;
constexpr long kProtocolUdp = 17;
constexpr long kProtocolAny = 256;

struct ProfileBit {
  NET_FW_PROFILE_TYPE2 type;
  const char* name;
};
constexpr ProfileBit kProfiles[] = {{NET_FW_PROFILE2_DOMAIN, "domain"},
                                    {NET_FW_PROFILE2_PRIVATE, "private"},
                                    {NET_FW_PROFILE2_PUBLIC, "public"}};

std::string hr_text(HRESULT hr) {
  return status_text(hr);
}

bool iequals(std::wstring_view a, std::wstring_view b) {
  return CompareStringOrdinal(a.data(), static_cast<int>(a.size()), b.data(), static_cast<int>(b.size()),
                              TRUE) == CSTR_EQUAL;
}

bool iends_with(std::wstring_view s, std::wstring_view tail) {
  return s.size() >= tail.size() && iequals(s.substr(s.size() - tail.size()), tail);
}

bool is_builtin(const FirewallRuleProperties& rule, const char* stable_name, long protocol) {
  if (iequals(rule.name, win::widen(stable_name))) return true;
  return rule.inbound && rule.protocol == protocol && iequals(rule.grouping, kRemoteDesktopGroup) &&
         iequals(rule.service, L"termservice");
}

// An allow rule that can let TermService in on TCP `port` (any program, or svchost hosting termservice).
bool allows_listener(const FirewallRuleProperties& rule, long profile, std::uint16_t port) {
  return rule.enabled && rule.inbound && rule.allow && (rule.profiles & profile) &&
         (rule.protocol == kProtocolTcp || rule.protocol == kProtocolAny) &&
         local_ports_include(rule.local_ports, port) &&
         (rule.application.empty() || iends_with(rule.application, L"\\svchost.exe")) &&
         (rule.service.empty() || rule.service == L"*" || iequals(rule.service, L"termservice"));
}

bool blocks_listener(const FirewallRuleProperties& rule, long profile, std::uint16_t port) {
  return rule.enabled && rule.inbound && !rule.allow && (rule.profiles & profile) &&
         (rule.protocol == kProtocolTcp || rule.protocol == kProtocolAny) &&
         local_ports_include(rule.local_ports, port) &&
         (rule.application.empty() || iends_with(rule.application, L"\\svchost.exe")) &&
         (rule.service.empty() || rule.service == L"*" || iequals(rule.service, L"termservice"));
}

void add(std::string& list, const std::string& item, const char* separator = "; ") {
  if (!item.empty()) list += (list.empty() ? "" : separator) + item;
}

class WindowsFirewall final : public FirewallInspector {
 public:
  FirewallState inspect(const ListenerSettings& listener) override {
    FirewallState out;
    const std::uint16_t port = listener.port.value_or(3389);
    win::ComScope com;
    if (!com.usable()) {
      out.error = "initialize COM: " + hr_text(com.result());
      return out;
    }
    ComPtr<INetFwPolicy2> policy;
    HRESULT hr = create_firewall_policy(policy);
    if (FAILED(hr)) {
      out.error = "create HNetCfg.FwPolicy2 (INetFwPolicy2): " + hr_text(hr);
      return out;
    }

    // Profiles: which are current, and whether the firewall filters in each.
    std::vector<long> filtering;  // current profiles with the firewall on
    bool profiles_known = false;
    long current = 0;
    hr = policy->get_CurrentProfileTypes(&current);
    if (FAILED(hr)) {
      add(out.error,
          "read the current firewall profiles (INetFwPolicy2::get_CurrentProfileTypes): " + hr_text(hr));
    } else {
      profiles_known = true;
      for (const auto& p : kProfiles) {
        if (!(current & p.type)) continue;
        VARIANT_BOOL enabled = VARIANT_FALSE;
        hr = policy->get_FirewallEnabled(p.type, &enabled);
        if (FAILED(hr)) {
          add(out.error, std::string("read whether the firewall is on in the ") + p.name +
                             " profile (INetFwPolicy2::get_FirewallEnabled): " + hr_text(hr));
          profiles_known = false;
          continue;
        }
        if (enabled != VARIANT_FALSE) filtering.push_back(p.type);
      }
      if (profiles_known) out.active = !filtering.empty();
    }

    auto rules = read_rules(policy.Get(), out);
    if (!rules) return out;  // unknown: no rule is reported missing

    for (const auto& [stable, protocol] :
         {std::pair{kRdpRuleTcp, kProtocolTcp}, std::pair{kRdpRuleUdp, kProtocolUdp}}) {
      FirewallRule rule;
      rule.name = stable;
      long profiles = 0;
      bool enabled = false;
      std::string ports;
      for (const auto& r : *rules) {
        if (!is_builtin(r, stable, protocol)) continue;
        rule.present = true;
        enabled = enabled || r.enabled;
        profiles |= r.profiles;
        std::string p = r.local_ports.empty() ? "*" : win::narrow(r.local_ports);
        if (ports.find(p) == std::string::npos) add(ports, p, ",");
        if (protocol == kProtocolTcp && r.enabled && !local_ports_include(r.local_ports, port))
          add(out.detail, stable + std::string(" allows local port ") + p + ", the listener uses " +
                              std::to_string(port));
      }
      if (rule.present) {
        rule.enabled = enabled;
        rule.profiles = profile_names(profiles);
        rule.local_ports = ports;
      }
      out.rules.push_back(rule);
    }

    if (!profiles_known) return out;
    if (filtering.empty()) {
      out.blocks_rdp_port = false;
      add(out.detail, "the firewall is off in every current profile");
      return out;
    }
    bool blocked = false;
    for (long profile : filtering) {
      const std::string name = profile_names(profile);
      VARIANT_BOOL block_all = VARIANT_FALSE;
      if (SUCCEEDED(
              policy->get_BlockAllInboundTraffic(static_cast<NET_FW_PROFILE_TYPE2>(profile), &block_all)) &&
          block_all != VARIANT_FALSE) {
        blocked = true;
        add(out.detail, "the " + name + " profile blocks all inbound traffic");
        continue;
      }
      auto blocker = std::find_if(rules->begin(), rules->end(), [&](const FirewallRuleProperties& r) {
        return blocks_listener(r, profile, port);
      });
      if (blocker != rules->end()) {
        blocked = true;
        add(out.detail, "rule '" + win::narrow(blocker->name) + "' blocks TCP " + std::to_string(port) +
                            " in the " + name + " profile");
        continue;
      }
      if (std::any_of(rules->begin(), rules->end(),
                      [&](const FirewallRuleProperties& r) { return allows_listener(r, profile, port); }))
        continue;
      NET_FW_ACTION fallback = NET_FW_ACTION_BLOCK;
      if (SUCCEEDED(
              policy->get_DefaultInboundAction(static_cast<NET_FW_PROFILE_TYPE2>(profile), &fallback)) &&
          fallback == NET_FW_ACTION_ALLOW)
        continue;
      blocked = true;
      add(out.detail,
          "no enabled inbound rule allows TCP " + std::to_string(port) + " in the " + name + " profile");
    }
    out.blocks_rdp_port = blocked;
    return out;
  }

 private:
  // Every rule, or nullopt with the reason in out.error.
  static std::optional<std::vector<FirewallRuleProperties>> read_rules(INetFwPolicy2* policy,
                                                                       FirewallState& out) {
    auto objects = read_firewall_rules(policy, "inspect the firewall", "the firewall rules");
    if (!objects) {
      add(out.error, objects.error().detail);
      return std::nullopt;
    }
    std::vector<FirewallRuleProperties> all;
    for (const auto& rule : objects.value().rules) all.push_back(read_rule_properties(rule.Get()));
    return all;
  }
};

}  // namespace

std::unique_ptr<FirewallInspector> make_firewall_inspector() {
  return std::make_unique<WindowsFirewall>();
}

bool local_ports_include(std::wstring_view ports, std::uint16_t port) {
  auto trim = [](std::wstring_view v) {
    while (!v.empty() && v.front() == L' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == L' ') v.remove_suffix(1);
    return v;
  };
  auto number = [](std::wstring_view v) -> std::optional<unsigned long> {
    if (v.empty() || v.size() > 5) return std::nullopt;
    unsigned long n = 0;
    for (wchar_t c : v) {
      if (c < L'0' || c > L'9') return std::nullopt;
      n = n * 10 + static_cast<unsigned long>(c - L'0');
    }
    return n;
  };
  ports = trim(ports);
  if (ports.empty() || ports == L"*") return true;
  while (!ports.empty()) {
    auto comma = ports.find(L',');
    std::wstring_view item = trim(ports.substr(0, comma));
    ports = comma == std::wstring_view::npos ? std::wstring_view() : ports.substr(comma + 1);
    if (item == L"*") return true;
    auto dash = item.find(L'-');
    auto low = number(trim(item.substr(0, dash)));
    auto high = dash == std::wstring_view::npos ? low : number(trim(item.substr(dash + 1)));
    if (low && high && *low <= port && port <= *high) return true;
  }
  return false;
}

std::string profile_names(long profiles) {
  if ((profiles & NET_FW_PROFILE2_ALL) == NET_FW_PROFILE2_ALL) return "all";
  std::string out;
  for (const auto& p : kProfiles)
    if (profiles & p.type) add(out, p.name, ",");
  return out;
}

}  // namespace rdpmend::inspect::windows
