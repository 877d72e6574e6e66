#pragma once
// The effective policy: built-in defaults, then local settings, then Group Policy, later layers winning.
// Every value records where it came from. A value of the wrong type or out of range is ignored with a
// warning (source, name, the bad value, why), so the lower layer's value stays: a bad value never makes the
// policy more permissive. A source that cannot be read at all caps Mode at Observe. No I/O here: the
// sources are read by policy_sources.h (registry on Windows, the TOML file on Linux).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "maintenance_window.h"
#include "policy_table.h"

namespace rdpmend::policy {

enum class Mode { kOff, kObserve, kApprove, kAuto };  // the order of the table's choices
std::string_view mode_name(Mode mode);

enum class Layer { kDefault, kLocal, kGroupPolicy };
std::string_view layer_name(Layer layer);  // "default", "local", "group-policy"

// A value as a source stores it, before validation.
struct Unsupported {
  std::string type;  // "REG_BINARY", "TOML array", ...
};
using RawValue = std::variant<bool, std::int64_t, std::string, Unsupported>;

// One source's values: the TOML [policy] table, or the values of one registry key.
struct SourceValues {
  Layer layer = Layer::kLocal;
  std::string origin;  // the file path or the registry key, e.g. "HKLM\SOFTWARE\Policies\RdpMend"
  std::map<std::string, RawValue> values;
};

// Something a source said that was not used, and why.
struct Warning {
  std::string origin;  // the source
  std::string name;    // the value name
  std::string value;   // the value as found
  std::string reason;
  std::string message() const;
};

// A source that could not be read at all (the file is unreadable, refused, or not TOML).
struct SourceError {
  std::string what;
  std::string object;
  std::string detail;
  std::string message() const;
};

// The effective value of one setting and where it came from.
struct EffectiveValue {
  const Setting* setting = nullptr;
  std::string value;  // canonical text: "Observe", "true", "30", "Sat 02:00-04:00"
  Layer layer = Layer::kDefault;
  std::string origin;  // "built-in" for defaults, else the file path or registry key
};

struct Policy {
  Mode mode = Mode::kObserve;
  std::map<std::string, bool, std::less<>> allowed;  // action id -> allow switch
  bool allow_service_restart_with_active_sessions = false;
  MaintenanceWindow maintenance_window;
  int max_actions_per_hour = 0;
  int cooldown_minutes = 0;
  int breaker_recurrences = 0;
  int breaker_window_hours = 0;
  int renew_before_days = 0;
  std::string xrdp_cert_key_type;
  int xrdp_cert_validity_days = 0;
  std::string xrdp_key_access;  // auto / file-group / user-group
  std::string xrdp_key_group;
  int probe_interval_minutes = 0;
  int journal_retention_days = 0;

  std::vector<EffectiveValue> values;  // one per table entry, in table order
  std::vector<Warning> warnings;
  std::vector<SourceError> errors;

  bool allows(std::string_view action_id) const;  // the allow switch; false for an unknown action
  const EffectiveValue* effective(std::string_view name) const;
};

// Checks `raw` against `setting`: ok and its canonical text, or not ok and why.
struct Checked {
  bool ok = false;
  std::string text;
};
Checked validate_value(const Setting& setting, const RawValue& raw);
// The raw value as text, for warnings: 42, true, "text", (REG_BINARY).
std::string raw_text(const RawValue& raw);

// Layers `sources` (in order, later winning) over the built-in defaults. `errors`: sources that could not
// be read; they are recorded and cap Mode at Observe.
Policy build_policy(const std::vector<SourceValues>& sources, std::vector<SourceError> errors = {});

}  // namespace rdpmend::policy
