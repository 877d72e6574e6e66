#include "actions/windows/firewall_plan.h"

#include "inspect/windows/firewall.h"
#include "platform/windows/win_text.h"

namespace rdpmend::actions::windows {
namespace {

using Json = nlohmann::json;
using inspect::windows::kRdpRuleTcp;
using inspect::windows::kRdpRuleUdp;

constexpr std::size_t kMaxRules = 256;
constexpr std::size_t kMaxText = 1024;

bool iequals(const std::wstring& a, const std::wstring& b) {
  return CompareStringOrdinal(a.c_str(), static_cast<int>(a.size()), b.c_str(), static_cast<int>(b.size()),
                              TRUE) == CSTR_EQUAL;
}

struct Stable {
  const char* name;
  long protocol;
};
constexpr Stable kStable[] = {{kRdpRuleTcp, kFwProtocolTcp}, {kRdpRuleUdp, kFwProtocolUdp}};

// The names this action gives the rules it creates for `stable`: the stable name, or "<stable>-<port>".
bool created_name(const std::wstring& name, const std::wstring& stable) {
  if (iequals(name, stable)) return true;
  if (name.size() <= stable.size() + 1 || !iequals(name.substr(0, stable.size() + 1), stable + L"-"))
    return false;
  const std::wstring port = name.substr(stable.size() + 1);
  if (port.size() > 5) return false;
  for (wchar_t c : port)
    if (c < L'0' || c > L'9') return false;
  return true;
}

}  // namespace

std::optional<std::string> remote_desktop_rule_of(const FirewallRuleSnapshot& rule) {
  for (const auto& s : kStable) {
    if (created_name(rule.name, win::widen(s.name))) return std::string(s.name);
    if (rule.inbound && rule.protocol == s.protocol &&
        iequals(rule.grouping, inspect::windows::kRemoteDesktopGroup) &&
        iequals(rule.service, L"termservice"))
      return std::string(s.name);
  }
  return std::nullopt;
}

std::vector<FirewallStep> plan_firewall_restore(const std::vector<FirewallRuleSnapshot>& rules,
                                                std::uint16_t port) {
  std::vector<FirewallStep> steps;
  const std::wstring port_text = std::to_wstring(port);
  for (const auto& s : kStable) {
    const std::wstring stable = win::widen(s.name);
    bool any = false, covered = false;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (remote_desktop_rule_of(rules[i]) != std::string(s.name)) continue;
      any = true;
      if (!rules[i].enabled) steps.push_back({FirewallStep::Kind::kEnable, i, {}, 0, {}});
      if (inspect::windows::local_ports_include(rules[i].local_ports, port)) covered = true;
    }
    if (!any)
      steps.push_back({FirewallStep::Kind::kCreate, 0, stable, s.protocol, port_text});
    else if (!covered)
      steps.push_back({FirewallStep::Kind::kCreate, 0, stable + L"-" + port_text, s.protocol, port_text});
  }
  return steps;
}

std::vector<FirewallStep> plan_firewall_rollback(const std::vector<FirewallRuleSnapshot>& saved,
                                                 const std::vector<FirewallRuleSnapshot>& now) {
  std::vector<FirewallStep> steps;
  auto same_rule = [](const FirewallRuleSnapshot& a, const FirewallRuleSnapshot& b) {
    return iequals(a.name, b.name) && a.protocol == b.protocol && iequals(a.grouping, b.grouping) &&
           a.inbound == b.inbound;
  };
  for (std::size_t i = 0; i < now.size(); ++i) {
    const auto& rule = now[i];
    const FirewallRuleSnapshot* before = nullptr;
    for (const auto& s : saved)
      if (same_rule(s, rule)) before = &s;
    if (before) {
      if (before->enabled != rule.enabled)
        steps.push_back(
            {before->enabled ? FirewallStep::Kind::kEnable : FirewallStep::Kind::kDisable, i, {}, 0, {}});
      continue;
    }
    bool ours = false;
    for (const auto& s : kStable) ours = ours || created_name(rule.name, win::widen(s.name));
    if (ours) steps.push_back({FirewallStep::Kind::kRemove, i, rule.name, rule.protocol, {}});
  }
  return steps;
}

Json firewall_rules_to_json(const std::vector<FirewallRuleSnapshot>& rules) {
  Json out = Json::array();
  for (const auto& r : rules) {
    if (!remote_desktop_rule_of(r)) continue;
    out.push_back({{"name", win::narrow(r.name)},
                   {"grouping", win::narrow(r.grouping)},
                   {"service", win::narrow(r.service)},
                   {"local_ports", win::narrow(r.local_ports)},
                   {"protocol", r.protocol},
                   {"inbound", r.inbound},
                   {"enabled", r.enabled}});
  }
  return out;
}

Result<std::vector<FirewallRuleSnapshot>> firewall_rules_from_json(const Json& rules) {
  const char* const what = "read the saved firewall rules";
  if (!rules.is_array() || rules.size() > kMaxRules)
    return Error{what, "", "the backup is damaged: expected a list of at most 256 rules"};
  std::vector<FirewallRuleSnapshot> out;
  try {
    for (const auto& r : rules) {
      FirewallRuleSnapshot s;
      for (auto [key, field] : {std::pair{"name", &s.name}, std::pair{"grouping", &s.grouping},
                                std::pair{"service", &s.service}, std::pair{"local_ports", &s.local_ports}}) {
        const std::string text = r.at(key).get<std::string>();
        if (text.size() > kMaxText) return Error{what, key, "the backup is damaged: the text is too long"};
        *field = win::widen(text);
      }
      s.protocol = r.at("protocol").get<long>();
      s.inbound = r.at("inbound").get<bool>();
      s.enabled = r.at("enabled").get<bool>();
      if (!remote_desktop_rule_of(s))
        return Error{what, win::narrow(s.name),
                     "refused: the backup lists a rule that is not a Remote Desktop rule"};
      out.push_back(std::move(s));
    }
  } catch (const Json::exception& e) {
    return Error{what, "", std::string("the backup is damaged: ") + e.what()};
  }
  return out;
}

}  // namespace rdpmend::actions::windows
