#include "policy.h"

#include "ascii_case.h"

#include <cctype>
#include <charconv>

namespace rdpmend::policy {
namespace {

Checked fail(std::string why) {
  return {false, std::move(why)};
}

Checked check_choice(const Setting& s, const RawValue& raw) {
  if (auto* text = std::get_if<std::string>(&raw)) {
    for (auto c : s.choices)
      if (iequals(c, *text)) return {true, std::string(c)};
    return fail("not one of " + describe_type(s));
  }
  if (auto* index = std::get_if<std::int64_t>(&raw)) {
    if (s.choice_storage != ChoiceStorage::kIndex) return fail("expected text (" + describe_type(s) + ")");
    if (*index < 0 || *index >= static_cast<std::int64_t>(s.choices.size()))
      return fail("out of range 0.." + std::to_string(s.choices.size() - 1));
    return {true, std::string(s.choices[static_cast<std::size_t>(*index)])};
  }
  return fail("wrong type: expected text (" + describe_type(s) + ")");
}

Checked check_bool(const RawValue& raw) {
  if (auto* b = std::get_if<bool>(&raw)) return {true, *b ? "true" : "false"};
  // REG_DWORD: only 0 and 1, as the ADMX writes them; anything else may be a typo, so it is refused.
  if (auto* n = std::get_if<std::int64_t>(&raw)) {
    if (*n == 0 || *n == 1) return {true, *n ? "true" : "false"};
    return fail("out of range: a switch is 0 or 1");
  }
  return fail("wrong type: expected a boolean (registry: REG_DWORD 0 or 1)");
}

Checked check_integer(const Setting& s, const RawValue& raw) {
  auto* n = std::get_if<std::int64_t>(&raw);
  if (!n) return fail("wrong type: expected an integer (registry: REG_DWORD)");
  if (*n < s.min || *n > s.max)
    return fail("out of range " + std::to_string(s.min) + ".." + std::to_string(s.max));
  return {true, std::to_string(*n)};
}

Checked check_text(const Setting& s, const RawValue& raw) {
  auto* text = std::get_if<std::string>(&raw);
  if (!text) return fail("wrong type: expected text (registry: REG_SZ)");
  if (s.validate)
    if (auto why = s.validate(*text)) return fail(*why);
  return {true, *text};
}

int to_int(std::string_view text) {
  int out = 0;
  std::from_chars(text.data(), text.data() + text.size(), out);
  return out;
}

void apply_typed(Policy& p, const EffectiveValue& v) {
  const Setting& s = *v.setting;
  const std::string& t = v.value;
  if (!s.action_id.empty()) {
    p.allowed[std::string(s.action_id)] = t == "true";
    return;
  }
  auto name = s.name;
  if (name == names::kMode) {
    for (std::size_t i = 0; i < s.choices.size(); ++i)
      if (s.choices[i] == t) p.mode = static_cast<Mode>(i);
  } else if (name == names::kAllowServiceRestartWithActiveSessions) {
    p.allow_service_restart_with_active_sessions = t == "true";
  } else if (name == names::kMaintenanceWindow) {
    auto parsed = parse_maintenance_window(t);
    if (auto* w = std::get_if<MaintenanceWindow>(&parsed)) p.maintenance_window = *w;
  } else if (name == names::kMaxActionsPerHour) {
    p.max_actions_per_hour = to_int(t);
  } else if (name == names::kCooldownMinutes) {
    p.cooldown_minutes = to_int(t);
  } else if (name == names::kBreakerRecurrences) {
    p.breaker_recurrences = to_int(t);
  } else if (name == names::kBreakerWindowHours) {
    p.breaker_window_hours = to_int(t);
  } else if (name == names::kRenewBeforeDays) {
    p.renew_before_days = to_int(t);
  } else if (name == names::kXrdpCertKeyType) {
    p.xrdp_cert_key_type = t;
  } else if (name == names::kXrdpCertValidityDays) {
    p.xrdp_cert_validity_days = to_int(t);
  } else if (name == names::kXrdpKeyAccess) {
    p.xrdp_key_access = t;
  } else if (name == names::kXrdpKeyGroup) {
    p.xrdp_key_group = t;
  } else if (name == names::kProbeIntervalMinutes) {
    p.probe_interval_minutes = to_int(t);
  } else if (name == names::kJournalRetentionDays) {
    p.journal_retention_days = to_int(t);
  }
}

}  // namespace

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::kOff:
      return "Off";
    case Mode::kObserve:
      return "Observe";
    case Mode::kApprove:
      return "Approve";
    case Mode::kAuto:
      return "Auto";
  }
  return "?";
}

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::kDefault:
      return "default";
    case Layer::kLocal:
      return "local";
    case Layer::kGroupPolicy:
      return "group-policy";
  }
  return "?";
}

std::string Warning::message() const {
  return origin + ": " + name + " = " + value + " ignored: " + reason;
}

std::string SourceError::message() const {
  std::string out = what;
  if (!object.empty()) out += " " + object;
  if (!detail.empty()) out += ": " + detail;
  return out;
}

bool Policy::allows(std::string_view action_id) const {
  auto it = allowed.find(action_id);
  return it != allowed.end() && it->second;
}

const EffectiveValue* Policy::effective(std::string_view name) const {
  for (const auto& v : values)
    if (v.setting->name == name) return &v;
  return nullptr;
}

std::string raw_text(const RawValue& raw) {
  if (auto* b = std::get_if<bool>(&raw)) return *b ? "true" : "false";
  if (auto* n = std::get_if<std::int64_t>(&raw)) return std::to_string(*n);
  if (auto* t = std::get_if<std::string>(&raw)) return "\"" + *t + "\"";
  return "(" + std::get<Unsupported>(raw).type + ")";
}

Checked validate_value(const Setting& setting, const RawValue& raw) {
  if (std::holds_alternative<Unsupported>(raw))
    return fail("wrong type: " + std::get<Unsupported>(raw).type + " is not used for this setting");
  switch (setting.type) {
    case ValueType::kChoice:
      return check_choice(setting, raw);
    case ValueType::kBool:
      return check_bool(raw);
    case ValueType::kInteger:
      return check_integer(setting, raw);
    case ValueType::kText:
      return check_text(setting, raw);
  }
  return fail("unknown setting type");
}

Policy build_policy(const std::vector<SourceValues>& sources, std::vector<SourceError> errors) {
  Policy p;
  for (const auto& setting : policy_table())
    p.values.push_back({&setting, std::string(setting.default_value), Layer::kDefault, "built-in"});
  for (const auto& source : sources) {
    for (const auto& [name, raw] : source.values) {
      const Setting* setting = find_setting(name);
      if (!setting) {
        p.warnings.push_back({source.origin, name, raw_text(raw), "no such setting"});
        continue;
      }
      auto checked = validate_value(*setting, raw);
      if (!checked.ok) {
        p.warnings.push_back({source.origin, name, raw_text(raw), checked.text});
        continue;
      }
      auto& v = p.values[static_cast<std::size_t>(setting - policy_table().data())];
      v.value = checked.text;
      v.layer = source.layer;
      v.origin = source.origin;
    }
  }
  for (const auto& v : p.values) apply_typed(p, v);
  p.errors = std::move(errors);
  if (!p.errors.empty() && p.mode > Mode::kObserve) {
    p.warnings.push_back({p.errors.front().object, std::string(names::kMode), std::string(mode_name(p.mode)),
                          "capped at Observe: a policy source could not be read"});
    p.mode = Mode::kObserve;
    for (auto& v : p.values)
      if (v.setting->name == names::kMode) {
        v.value = mode_name(Mode::kObserve);
        v.origin += " (capped: a source could not be read)";
      }
  }
  return p;
}

}  // namespace rdpmend::policy
