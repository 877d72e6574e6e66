#pragma once
// The policy table: every policy value RdpMend reads, defined once (name, type, default, range or choices,
// help). The loaders (registry, TOML), the validation, `rdpmend policy show`, the Group Policy template
// (admx/) and the docs are driven by it.
// Names are the Group Policy value names under HKLM\SOFTWARE\Policies\RdpMend and the keys of the TOML
// [policy] table. This file only describes; it reads nothing.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rdpmend::policy {

enum class ValueType {
  kChoice,   // one of `choices`; registry REG_DWORD (the choice's index) or REG_SZ (its name), TOML string
  kBool,     // registry REG_DWORD 0/1, TOML boolean
  kInteger,  // in [min, max]; registry REG_DWORD, TOML integer
  kText,     // checked by `validate`; registry REG_SZ, TOML string
};

// How a kChoice is stored in the registry (the ADMX enum's <value>: decimal or string).
enum class ChoiceStorage { kIndex, kName };

// Where a setting appears in the Group Policy editor (the ADMX category under "RdpMend").
enum class Category {
  kRemediation,  // what the agent does at all: mode, health checks, journal
  kActions,      // the allow switches
  kLimits,       // when and how often: maintenance window, rate limit, cooldown, circuit breaker
  kCertificate,  // certificate lifetime
  kXrdpHosts,    // read on Linux hosts running xrdp only (from the TOML file); Windows hosts ignore them
};

struct Setting {
  std::string_view name;   // PascalCase, the Group Policy value name
  std::string_view title;  // the setting's name in the Group Policy editor: "Remediation mode"
  Category category;
  ValueType type;
  std::string_view default_value;  // in the TOML spelling: "Observe", "true", "30", "Sat 02:00-04:00"
  std::int64_t min = 0;            // kInteger
  std::int64_t max = 0;            // kInteger
  std::span<const std::string_view> choices = {};  // kChoice, in the order of their registry index
  ChoiceStorage choice_storage = ChoiceStorage::kIndex;
  // kText: nullopt when `text` is acceptable, else why not.
  std::optional<std::string> (*validate)(std::string_view text) = nullptr;
  std::string_view action_id = {};  // an allow switch: the catalog action id it gates
  std::string_view help;
};

// Setting names, for the code that reads the typed Policy (policy.cpp) and for tests.
namespace names {
inline constexpr std::string_view kMode = "Mode";
inline constexpr std::string_view kAllowServiceRestartWithActiveSessions =
    "AllowServiceRestartWithActiveSessions";
inline constexpr std::string_view kMaintenanceWindow = "MaintenanceWindow";
inline constexpr std::string_view kMaxActionsPerHour = "MaxActionsPerHour";
inline constexpr std::string_view kCooldownMinutes = "CooldownMinutes";
inline constexpr std::string_view kBreakerRecurrences = "BreakerRecurrences";
inline constexpr std::string_view kBreakerWindowHours = "BreakerWindowHours";
inline constexpr std::string_view kRenewBeforeDays = "RenewBeforeDays";
inline constexpr std::string_view kXrdpCertKeyType = "XrdpCertKeyType";
inline constexpr std::string_view kXrdpCertValidityDays = "XrdpCertValidityDays";
inline constexpr std::string_view kXrdpKeyAccess = "XrdpKeyAccess";
inline constexpr std::string_view kXrdpKeyGroup = "XrdpKeyGroup";
inline constexpr std::string_view kProbeIntervalMinutes = "ProbeIntervalMinutes";
inline constexpr std::string_view kJournalRetentionDays = "JournalRetentionDays";
}  // namespace names

// Every setting, in display order.
std::span<const Setting> policy_table();

// The setting called `name` (exact, case-sensitive as Group Policy writes it), or nullptr.
const Setting* find_setting(std::string_view name);

// The allow switch that gates catalog action `action_id`, or nullptr.
const Setting* find_allow_switch(std::string_view action_id);

// "Off", "Observe", ... for a kChoice; "bool", "integer 1..60", "text" otherwise (for help and docs).
std::string describe_type(const Setting& setting);

}  // namespace rdpmend::policy
