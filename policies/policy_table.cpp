#include "policy_table.h"

#include <array>
#include <variant>
#include <vector>

#include "catalog/catalog_ids.h"
#include "maintenance_window.h"

namespace rdpmend::policy {
namespace {

constexpr std::array<std::string_view, 4> kModes = {"Off", "Observe", "Approve", "Auto"};
constexpr std::array<std::string_view, 5> kKeyTypes = {"rsa2048", "rsa3072", "rsa4096", "ec-p256", "ec-p384"};
constexpr std::array<std::string_view, 3> kKeyAccess = {"auto", "file-group", "user-group"};

// A POSIX group name as useradd accepts it; never root's group, which would widen far beyond the key.
std::optional<std::string> validate_group(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::string("a group name of 1 to 32 characters");
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && ((c >= '0' && c <= '9') || c == '-'));
    if (!ok) return std::string("not a group name (lower-case letters, digits, '_' and '-')");
  }
  if (text == "root" || text == "wheel" || text == "sudo" || text == "shadow" || text == "adm")
    return std::string("a privileged group; the xrdp user is never added to it");
  return std::nullopt;
}

std::optional<std::string> validate_window(std::string_view text) {
  auto parsed = parse_maintenance_window(text);
  if (auto* why = std::get_if<std::string>(&parsed)) return *why;
  return std::nullopt;
}

Setting allow(std::string_view name, std::string_view title, std::string_view action_id,
              std::string_view default_value, std::string_view help) {
  Setting s{};
  s.name = name;
  s.title = title;
  s.category = Category::kActions;
  s.type = ValueType::kBool;
  s.default_value = default_value;
  s.action_id = action_id;
  s.help = help;
  return s;
}

template <std::size_t N>
Setting choice(std::string_view name, std::string_view title, Category category,
               std::string_view default_value, const std::array<std::string_view, N>& choices,
               ChoiceStorage storage, std::string_view help) {
  Setting s{};
  s.name = name;
  s.title = title;
  s.category = category;
  s.type = ValueType::kChoice;
  s.default_value = default_value;
  s.choices = choices;
  s.choice_storage = storage;
  s.help = help;
  return s;
}

Setting integer(std::string_view name, std::string_view title, Category category,
                std::string_view default_value, std::int64_t min, std::int64_t max, std::string_view help) {
  Setting s{};
  s.name = name;
  s.title = title;
  s.category = category;
  s.type = ValueType::kInteger;
  s.default_value = default_value;
  s.min = min;
  s.max = max;
  s.help = help;
  return s;
}

// Allow-switch defaults (issue 16: Mode Auto alone repairs the 0x904 family): on for what returns the host
// to Windows' or the distribution's own default and widens nothing: the two ACL repairs, a new *self-signed*
// certificate (the action refuses a CA-issued, template or configured one), starting a stopped service, and
// a restart of the RDP service, which the session guard still holds back while any session runs
// (AllowServiceRestartWithActiveSessions off). Off for what may have been done on purpose: re-enabled
// firewall rules widen exposure, and a deliberate block looks the same as a lost rule; its finding names the
// exact commands (FirewallState::restore_commands). Mode is Observe by default, so nothing changes until an
// administrator sets Auto or Approve.
std::vector<Setting> build_table() {
  std::vector<Setting> t;
  t.push_back(choice(
      names::kMode, "Remediation mode", Category::kRemediation, "Observe", kModes, ChoiceStorage::kIndex,
      "Off: do nothing. Observe: detect and diagnose, change nothing. Approve: plan fixes, apply each "
      "only after an administrator approves it. Auto: apply allowed fixes."));
  t.push_back(allow("AllowRepairMachineKeysAcl", "Allow repairing the MachineKeys folder ACL",
                    ids::action::kRepairMachinekeysAcl, "true",
                    "Allow setting the MachineKeys folder ACL back to its documented default."));
  t.push_back(
      allow("AllowRepairRdpKeyAcl", "Allow repairing the access to the RDP private key",
            ids::action::kRepairRdpKeyAcl, "true",
            "Allow repairing the access rights of the RDP listener's private key file (xrdp: its group "
            "and mode)."));
  t.push_back(allow("AllowRegenerateRdpCert", "Allow replacing a self-signed RDP certificate",
                    ids::action::kRegenerateRdpCert, "true",
                    "Allow replacing a self-signed RDP listener certificate that expired, is missing or does "
                    "not match its key, as Windows itself would make it (never a CA-issued, template or "
                    "configured one). Clients that trusted the old certificate warn once."));
  t.push_back(
      allow("AllowRestoreFirewallRules", "Allow restoring the Remote Desktop firewall rules",
            ids::action::kRestoreFirewallRules, "false",
            "Allow enabling or re-creating the Remote Desktop firewall rules. Off by default: it widens "
            "network exposure, and a rule disabled on purpose looks the same as a lost one."));
  t.push_back(allow("AllowStartRdpService", "Allow starting the Remote Desktop service",
                    ids::action::kStartRdpService, "true",
                    "Allow starting the Remote Desktop service (xrdp) when it is stopped."));
  t.push_back(
      allow("AllowRestartRdpService", "Allow restarting the Remote Desktop service",
            ids::action::kRestartRdpService, "true",
            "Allow restarting the Remote Desktop service (xrdp) so that it serves a repair. A restart "
            "drops every session, so it waits until none runs, unless the next setting allows it."));
  Setting sessions = allow(names::kAllowServiceRestartWithActiveSessions,
                           "Allow a service restart while users have active sessions", {}, "false",
                           "Allow a service restart while users have active sessions.");
  t.push_back(sessions);
  Setting window{};
  window.name = names::kMaintenanceWindow;
  window.title = "Maintenance window";
  window.category = Category::kLimits;
  window.type = ValueType::kText;
  window.default_value = "";
  window.validate = validate_window;
  window.help =
      "When changes may be made, host local time: 'Sat 02:00-04:00', 'Mon-Fri 22:00-06:00; Sun "
      "00:00-24:00', 'Daily 01:00-02:00'. Empty: any time.";
  t.push_back(window);
  t.push_back(integer(names::kMaxActionsPerHour, "Most actions per hour", Category::kLimits, "4", 0, 60,
                      "Most actions applied in any hour (0: none)."));
  t.push_back(integer(names::kCooldownMinutes, "Cooldown before an action repeats (minutes)",
                      Category::kLimits, "30", 1, 10080,
                      "Minutes before the same action may run again on the same target."));
  t.push_back(
      integer(names::kBreakerRecurrences, "Circuit breaker: recurrences", Category::kLimits, "3", 1, 100,
              "Circuit breaker: after this many recurrences of a finding that a fix had resolved, stop "
              "acting on it and raise an alert."));
  t.push_back(integer(names::kBreakerWindowHours, "Circuit breaker: window (hours)", Category::kLimits, "24",
                      1, 720, "Circuit breaker: the window, in hours, in which recurrences are counted."));
  t.push_back(
      integer(names::kRenewBeforeDays, "Renew certificates expiring within (days)", Category::kCertificate,
              "14", 1, 365,
              "A certificate expiring within this many days is reported as expiring (and renewed when "
              "allowed)."));
  t.push_back(
      choice(names::kXrdpCertKeyType, "xrdp: key type of new certificates", Category::kXrdpHosts, "rsa2048",
             kKeyTypes, ChoiceStorage::kName,
             "Key type of a certificate RdpMend makes for xrdp. rsa2048 by default: what every RDP client "
             "accepts (and what Windows uses for its own self-signed RDP certificate)."));
  t.push_back(integer(names::kXrdpCertValidityDays, "xrdp: validity of new certificates (days)",
                      Category::kXrdpHosts, "365", 1, 825,
                      "Validity of a certificate RdpMend makes for xrdp, in days."));
  t.push_back(
      choice(names::kXrdpKeyAccess, "xrdp: how the xrdp user may read its key", Category::kXrdpHosts, "auto",
             kKeyAccess, ChoiceStorage::kName,
             "How repair-rdp-key-acl gives the xrdp user read access to its key: auto (user-group for a key "
             "of XrdpKeyGroup that its group may read, such as Debian's snakeoil key root:ssl-cert 0640, "
             "shared with other services; a key shared through another group is refused; file-group "
             "otherwise), file-group (the key file becomes root:<xrdp's group> 0640) or user-group (the key "
             "file stays as it is and the xrdp user joins XrdpKeyGroup; xrdp must then be restarted)."));
  Setting key_group{};
  key_group.name = names::kXrdpKeyGroup;
  key_group.title = "xrdp: the group that may read the key";
  key_group.category = Category::kXrdpHosts;
  key_group.type = ValueType::kText;
  key_group.default_value = "ssl-cert";
  key_group.validate = validate_group;
  key_group.help =
      "With XrdpKeyAccess user-group or auto: the only group the xrdp user may be added to, and the group "
      "the key file must have (Debian: ssl-cert). A key file of any other group is refused.";
  t.push_back(key_group);
  t.push_back(integer(names::kProbeIntervalMinutes, "Health check interval (minutes)", Category::kRemediation,
                      "15", 1, 1440,
                      "Minutes between the agent's periodic health checks (inspection and self-probe)."));
  t.push_back(integer(names::kJournalRetentionDays, "Journal retention (days)", Category::kRemediation, "90",
                      1, 3650, "Days the journal keeps its records."));
  return t;
}

const std::vector<Setting>& table() {
  static const std::vector<Setting> t = build_table();
  return t;
}

}  // namespace

std::span<const Setting> policy_table() {
  return table();
}

const Setting* find_setting(std::string_view name) {
  for (const auto& s : table())
    if (s.name == name) return &s;
  return nullptr;
}

const Setting* find_allow_switch(std::string_view action_id) {
  if (action_id.empty()) return nullptr;
  for (const auto& s : table())
    if (s.action_id == action_id) return &s;
  return nullptr;
}

std::string describe_type(const Setting& setting) {
  switch (setting.type) {
    case ValueType::kChoice: {
      std::string out;
      for (auto c : setting.choices) out += (out.empty() ? "" : " | ") + std::string(c);
      return out;
    }
    case ValueType::kBool:
      return "true | false";
    case ValueType::kInteger:
      return "integer " + std::to_string(setting.min) + ".." + std::to_string(setting.max);
    case ValueType::kText:
      return "text";
  }
  return "?";
}

}  // namespace rdpmend::policy
