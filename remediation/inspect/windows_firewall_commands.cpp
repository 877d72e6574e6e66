#include "inspect/windows_firewall_commands.h"

namespace rdpmend::inspect {
namespace {

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// A rule name as the inspection reports it is the stable name of a built-in rule; anything that would need
// quoting in PowerShell is not one, and gets no command.
bool plain_rule_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  return true;
}

}  // namespace

std::vector<std::string> windows_firewall_restore_commands(const FirewallState& firewall,
                                                           std::uint16_t port) {
  std::vector<std::string> commands;
  if (firewall.active != true) return commands;
  std::string disabled;
  for (const auto& rule : firewall.rules) {
    if (!plain_rule_name(rule.name)) continue;
    if (rule.present && rule.enabled == false) disabled += (disabled.empty() ? "" : ",") + rule.name;
    if (rule.present) continue;
    const std::string protocol = ends_with(rule.name, "-UDP") ? "UDP" : "TCP";
    commands.push_back(
        "New-NetFirewallRule -Name " + rule.name + " -DisplayName \"Remote Desktop - User Mode (" + protocol +
        "-In)\" -Group \"@FirewallAPI.dll,-28752\" -Direction Inbound -Protocol " + protocol +
        " -LocalPort " + std::to_string(port) +
        " -Program \"%SystemRoot%\\system32\\svchost.exe\" -Service termservice -Action Allow");
  }
  if (!disabled.empty()) commands.insert(commands.begin(), "Enable-NetFirewallRule -Name " + disabled);
  return commands;
}

}  // namespace rdpmend::inspect
