#include "events/catalog.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "catalog/detection_catalog_data.h"
#include "util/encoding.h"
#include "util/json_condition.h"
#include "util/strict_json.h"

namespace rdpmend::events {

using nlohmann::json;
using util::to_lower_ascii;

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
    case Severity::kCritical:
      return "critical";
  }
  return "warning";
}

std::optional<Severity> parse_severity(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kError, Severity::kCritical})
    if (severity_name(s) == name) return s;
  return std::nullopt;
}

Severity severity_at(const nlohmann::json& object, const char* key, const std::string& where) {
  std::string name = util::string_at(object, key, where);
  auto parsed = parse_severity(name);
  if (!parsed)
    throw util::JsonFailure{where, "severity '" + name + "' is not info, warning, error or critical"};
  return *parsed;
}

const SymptomDefinition* Catalog::symptom(std::string_view id) const {
  for (const auto& s : symptoms)
    if (s.id == id) return &s;
  return nullptr;
}

std::optional<std::string> field_value(const Event& event, std::string_view field) {
  if (field.empty()) return std::nullopt;
  if (field[0] == '#') {
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(field.data() + 1, field.data() + field.size(), index);
    if (ec != std::errc() || index == 0 || index > event.data.size()) return std::nullopt;
    return event.data[index - 1].value;
  }
  if (field[0] == '@') {
    if (field == "@message") return event.message;
    if (field == "@event_id") return std::to_string(event.event_id);
    if (field == "@binary_hex") {
      if (event.binary.empty()) return std::nullopt;
      return util::to_hex(event.binary);
    }
    if (field == "@binary_utf16") {
      if (event.binary.empty()) return std::nullopt;
      return util::utf16le_to_utf8(event.binary);
    }
    if (field == "@binary_last_dword") {
      if (event.binary.size() < 4) return std::nullopt;
      auto* b = event.binary.data() + event.binary.size() - 4;
      std::uint32_t v =
          static_cast<std::uint32_t>(b[0] | (b[1] << 8) | (b[2] << 16)) | (std::uint32_t{b[3]} << 24);
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08X", v);
      return std::string(buf);
    }
    if (field == "@message_id") {
      if (!event.qualifiers) return std::nullopt;
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%04X%04X", static_cast<unsigned>(*event.qualifiers),
                    static_cast<unsigned>(event.event_id));
      return std::string(buf);
    }
    return std::nullopt;
  }
  if (const auto* v = event.field(field)) return *v;
  return std::nullopt;
}

namespace {

bool leaf_holds(const Condition& c, const Event& event) {
  auto raw = field_value(event, c.field);
  if (!raw) return c.op == Condition::Op::kNotIn;
  auto equal = [&](const std::string& v) { return util::equals_lowered(*raw, v); };
  switch (c.op) {
    case Condition::Op::kEquals:
    case Condition::Op::kIn:
      return std::any_of(c.values.begin(), c.values.end(), equal);
    case Condition::Op::kNotIn:
      return std::none_of(c.values.begin(), c.values.end(), equal);
    case Condition::Op::kContains:
      return util::contains_lowered(*raw, c.values.front());
    case Condition::Op::kStartsWith:
      return util::starts_with_lowered(*raw, c.values.front());
    default:
      return false;
  }
}

bool in_list(const std::vector<std::string>& list, const std::string& value) {
  if (list.empty()) return true;
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& v) { return util::equals_lowered(value, v); });
}

// --- parsing, strict (util/strict_json.h): every object is checked for unknown keys and types ---

using util::check_keys;
using util::json_item_path;
using util::JsonFailure;
using util::string_at;
using util::strings_at;

std::vector<std::string> lowered_strings_at(const json& object, const char* key, const std::string& where) {
  auto out = util::strings_at(object, key, where);
  for (auto& v : out) v = to_lower_ascii(v);
  return out;
}

// Values compare without ASCII case, so they are lowered once here.
void read_string_operand(const json& j, const char* key, const std::string& where, Condition& c) {
  c.values = {to_lower_ascii(string_at(j, key, where))};
}

void read_list_operand(const json& j, const char* key, const std::string& where, Condition& c) {
  c.values = lowered_strings_at(j, key, where);
  if (c.values.empty()) throw JsonFailure{where, std::string("'") + key + "' must not be empty"};
}

const util::ConditionGrammar<Condition> kConditionGrammar{
    "field",
    &Condition::field,
    {{"equals", Condition::Op::kEquals, read_string_operand},
     {"contains", Condition::Op::kContains, read_string_operand},
     {"starts_with", Condition::Op::kStartsWith, read_string_operand},
     {"in", Condition::Op::kIn, read_list_operand},
     {"not_in", Condition::Op::kNotIn, read_list_operand}},
    "equals, in, not_in, contains, starts_with",
};

Matcher parse_matcher(const json& j, const std::string& where) {
  Matcher m;
  m.channels = lowered_strings_at(j, "channels", where);
  m.providers = lowered_strings_at(j, "providers", where);
  if (m.channels.empty()) throw JsonFailure{where, "'channels' must name at least one channel"};
  if (m.providers.empty()) throw JsonFailure{where, "'providers' must name at least one provider"};
  if (const auto* ids = util::optional_list_at(j, "event_ids", where, "numbers")) {
    for (const auto& v : *ids) {
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xFFFF)
        throw JsonFailure{where, "'event_ids' must hold numbers 0-65535"};
      m.event_ids.push_back(static_cast<std::uint16_t>(v.get<std::uint64_t>()));
    }
  }
  if (const auto* conditions = util::optional_list_at(j, "where", where, "conditions")) {
    std::size_t i = 0;
    for (const auto& c : *conditions)
      m.where.push_back(util::parse_condition(c, json_item_path(where, "where", i++), kConditionGrammar));
  }
  if (m.event_ids.empty() && m.where.empty())
    throw JsonFailure{where, "a rule needs event_ids or conditions"};
  if (const auto* details = util::optional_list_at(j, "details", where)) {
    std::size_t i = 0;
    for (const auto& d : *details) {
      std::string w = json_item_path(where, "details", i++);
      check_keys(d, w, {"field", "label", "decode"});
      DetailSpec spec{string_at(d, "field", w), string_at(d, "label", w),
                      util::optional_string_at(d, "decode", w)};
      if (!spec.decode.empty() && spec.decode != "disconnect-reason" &&
          spec.decode != "extended-disconnect-reason" && spec.decode != "termservice-cert-event")
        throw JsonFailure{w, "unknown decode '" + spec.decode + "'"};
      m.details.push_back(std::move(spec));
    }
  }
  return m;
}

Catalog parse_catalog_json(const json& root) {
  check_keys(root, "catalog", {"version", "watch", "symptoms", "rules", "context"});
  util::check_version(root, "catalog", 1);
  Catalog catalog;
  if (root.contains("watch")) {
    const auto& watch = root["watch"];
    if (!watch.is_object()) throw JsonFailure{"watch", "must be an object"};
    check_keys(watch, "watch", {"not_watched", "by_provider"});
    catalog.watch.not_watched = strings_at(watch, "not_watched", "watch");
    catalog.watch.by_provider = strings_at(watch, "by_provider", "watch");
  }
  std::set<std::string> ids;
  std::size_t i = 0;
  for (const auto& s : util::list_at(root, "symptoms", "catalog")) {
    std::string where = json_item_path("", "symptoms", i++);
    check_keys(s, where, {"id", "severity", "remediable", "summary", "doc"});
    SymptomDefinition def;
    def.id = string_at(s, "id", where);
    if (def.id.empty() || !std::all_of(def.id.begin(), def.id.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        }))
      throw JsonFailure{where, "id '" + def.id + "' is not kebab-case"};
    if (!ids.insert(def.id).second) throw JsonFailure{where, "duplicate id '" + def.id + "'"};
    def.severity = severity_at(s, "severity", where);
    if (s.contains("remediable")) {
      if (!s["remediable"].is_boolean()) throw JsonFailure{where, "'remediable' must be true or false"};
      def.remediable = s["remediable"].get<bool>();
    }
    def.summary = string_at(s, "summary", where);
    def.doc = util::optional_string_at(s, "doc", where);
    catalog.symptoms.push_back(std::move(def));
  }
  i = 0;
  for (const auto& r : util::list_at(root, "rules", "catalog")) {
    std::string where = json_item_path("", "rules", i++);
    check_keys(r, where, {"symptom", "channels", "providers", "event_ids", "where", "details"});
    DetectionRule rule{string_at(r, "symptom", where), parse_matcher(r, where)};
    if (!ids.count(rule.symptom)) throw JsonFailure{where, "symptom '" + rule.symptom + "' is not defined"};
    catalog.rules.push_back(std::move(rule));
  }
  i = 0;
  if (const auto* context = util::optional_list_at(root, "context", "catalog")) {
    for (const auto& r : *context) {
      std::string where = json_item_path("", "context", i++);
      check_keys(r, where, {"label", "summary", "channels", "providers", "event_ids", "where", "details"});
      catalog.context.push_back(
          {string_at(r, "label", where), string_at(r, "summary", where), parse_matcher(r, where)});
    }
  }
  return catalog;
}

}  // namespace

bool Matcher::matches(const Event& event) const {
  if (!event_ids.empty() && std::find(event_ids.begin(), event_ids.end(), event.event_id) == event_ids.end())
    return false;
  if (!in_list(channels, event.channel)) return false;
  if (!in_list(providers, event.provider_name) &&
      (event.event_source_name.empty() || !in_list(providers, event.event_source_name)))
    return false;
  auto leaf = [&](const Condition& c) { return leaf_holds(c, event); };
  return std::all_of(where.begin(), where.end(),
                     [&](const Condition& c) { return util::condition_holds(c, leaf); });
}

Result<Catalog> parse_catalog(std::string_view json_text, const std::string& origin) {
  return util::read_strict_json<Catalog>(json_text, "load detection catalog", origin, parse_catalog_json);
}

Result<Catalog> load_catalog_file(const std::filesystem::path& path) {
  constexpr std::uintmax_t kMaxCatalogBytes = 4 * 1024 * 1024;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error{"load detection catalog", path.string(), ec.message()};
  if (size > kMaxCatalogBytes) return Error{"load detection catalog", path.string(), "larger than 4 MiB"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"load detection catalog", path.string(), "cannot open"};
  std::stringstream text;
  text << in.rdbuf();
  return parse_catalog(text.str(), path.string());
}

const Catalog& default_catalog() {
  static const Catalog catalog = [] {
    auto parsed = parse_catalog(catalog_data::detection_json(), "built-in detection catalog");
    // The built-in catalog is checked by the tests; failing here is a build defect.
    if (!parsed) throw std::logic_error(parsed.error().message());
    return std::move(parsed).value();
  }();
  return catalog;
}

const SymptomDefinition* classify(const Catalog& catalog, const Event& event) {
  for (const auto& rule : catalog.rules)
    if (rule.match.matches(event)) return catalog.symptom(rule.symptom);
  return nullptr;
}

}  // namespace rdpmend::events
