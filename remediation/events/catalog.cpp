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

bool holds(const Condition& c, const Event& event) {
  switch (c.op) {
    case Condition::Op::kAll:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const Condition& k) { return holds(k, event); });
    case Condition::Op::kAny:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const Condition& k) { return holds(k, event); });
    default:
      break;
  }
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

// --- parsing, strict: every object is checked for unknown keys and types ---

struct ParseFailure {
  std::string where;
  std::string message;
};

void check_keys(const json& object, const std::string& where, std::initializer_list<const char*> allowed) {
  if (!object.is_object()) throw ParseFailure{where, "must be an object"};
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
      throw ParseFailure{where, "unknown key '" + key + "'"};
  }
}

std::string get_string(const json& object, const char* key, const std::string& where, bool required = true) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) throw ParseFailure{where, std::string("missing '") + key + "'"};
    return {};
  }
  if (!it->is_string()) throw ParseFailure{where, std::string("'") + key + "' must be a string"};
  return it->get<std::string>();
}

std::vector<std::string> get_strings(const json& object, const char* key, const std::string& where,
                                     bool lower) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end()) return out;
  if (!it->is_array()) throw ParseFailure{where, std::string("'") + key + "' must be a list of strings"};
  for (const auto& v : *it) {
    if (!v.is_string()) throw ParseFailure{where, std::string("'") + key + "' must be a list of strings"};
    out.push_back(lower ? to_lower_ascii(v.get<std::string>()) : v.get<std::string>());
  }
  return out;
}

Condition parse_condition(const json& j, const std::string& where) {
  check_keys(j, where, {"field", "equals", "in", "not_in", "contains", "starts_with", "all", "any"});
  Condition c;
  int ops = 0;
  for (const char* group : {"all", "any"}) {
    if (!j.contains(group)) continue;
    ++ops;
    c.op = std::string_view(group) == "all" ? Condition::Op::kAll : Condition::Op::kAny;
    if (!j[group].is_array() || j[group].empty())
      throw ParseFailure{where, std::string("'") + group + "' must be a non-empty list"};
    int i = 0;
    for (const auto& k : j[group])
      c.children.push_back(parse_condition(k, where + "." + group + "[" + std::to_string(i++) + "]"));
  }
  struct Single {
    const char* key;
    Condition::Op op;
  };
  for (auto [key, op] :
       {Single{"equals", Condition::Op::kEquals}, Single{"contains", Condition::Op::kContains},
        Single{"starts_with", Condition::Op::kStartsWith}}) {
    if (!j.contains(key)) continue;
    ++ops;
    c.op = op;
    c.values = {to_lower_ascii(get_string(j, key, where))};
  }
  for (auto [key, op] : {Single{"in", Condition::Op::kIn}, Single{"not_in", Condition::Op::kNotIn}}) {
    if (!j.contains(key)) continue;
    ++ops;
    c.op = op;
    c.values = get_strings(j, key, where, true);
    if (c.values.empty()) throw ParseFailure{where, std::string("'") + key + "' must not be empty"};
  }
  if (ops != 1)
    throw ParseFailure{
        where, "a condition needs exactly one of equals, in, not_in, contains, starts_with, all, any"};
  bool group = c.op == Condition::Op::kAll || c.op == Condition::Op::kAny;
  if (group && j.contains("field")) throw ParseFailure{where, "'all'/'any' take no 'field'"};
  if (!group) c.field = get_string(j, "field", where);
  return c;
}

Matcher parse_matcher(const json& j, const std::string& where) {
  Matcher m;
  m.channels = get_strings(j, "channels", where, true);
  m.providers = get_strings(j, "providers", where, true);
  if (m.channels.empty()) throw ParseFailure{where, "'channels' must name at least one channel"};
  if (m.providers.empty()) throw ParseFailure{where, "'providers' must name at least one provider"};
  if (auto it = j.find("event_ids"); it != j.end()) {
    if (!it->is_array()) throw ParseFailure{where, "'event_ids' must be a list of numbers"};
    for (const auto& v : *it) {
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xFFFF)
        throw ParseFailure{where, "'event_ids' must hold numbers 0-65535"};
      m.event_ids.push_back(static_cast<std::uint16_t>(v.get<std::uint64_t>()));
    }
  }
  if (auto it = j.find("where"); it != j.end()) {
    if (!it->is_array()) throw ParseFailure{where, "'where' must be a list of conditions"};
    int i = 0;
    for (const auto& c : *it)
      m.where.push_back(parse_condition(c, where + ".where[" + std::to_string(i++) + "]"));
  }
  if (m.event_ids.empty() && m.where.empty())
    throw ParseFailure{where, "a rule needs event_ids or conditions"};
  if (auto it = j.find("details"); it != j.end()) {
    if (!it->is_array()) throw ParseFailure{where, "'details' must be a list"};
    int i = 0;
    for (const auto& d : *it) {
      std::string w = where + ".details[" + std::to_string(i++) + "]";
      check_keys(d, w, {"field", "label", "decode"});
      DetailSpec spec{get_string(d, "field", w), get_string(d, "label", w),
                      get_string(d, "decode", w, false)};
      if (!spec.decode.empty() && spec.decode != "disconnect-reason" &&
          spec.decode != "extended-disconnect-reason" && spec.decode != "termservice-cert-event")
        throw ParseFailure{w, "unknown decode '" + spec.decode + "'"};
      m.details.push_back(std::move(spec));
    }
  }
  return m;
}

Catalog parse_catalog_json(const json& root) {
  check_keys(root, "catalog", {"version", "symptoms", "rules", "context"});
  if (!root.contains("version") || root["version"] != 1) throw ParseFailure{"catalog", "'version' must be 1"};
  Catalog catalog;
  std::set<std::string> ids;
  if (!root.contains("symptoms") || !root["symptoms"].is_array())
    throw ParseFailure{"catalog", "'symptoms' must be a list"};
  int i = 0;
  for (const auto& s : root["symptoms"]) {
    std::string where = "symptoms[" + std::to_string(i++) + "]";
    check_keys(s, where, {"id", "severity", "remediable", "summary", "doc"});
    SymptomDefinition def;
    def.id = get_string(s, "id", where);
    if (def.id.empty() || !std::all_of(def.id.begin(), def.id.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        }))
      throw ParseFailure{where, "id '" + def.id + "' is not kebab-case"};
    if (!ids.insert(def.id).second) throw ParseFailure{where, "duplicate id '" + def.id + "'"};
    std::string severity = get_string(s, "severity", where);
    auto parsed = parse_severity(severity);
    if (!parsed)
      throw ParseFailure{where, "severity '" + severity + "' is not info, warning, error or critical"};
    def.severity = *parsed;
    if (s.contains("remediable")) {
      if (!s["remediable"].is_boolean()) throw ParseFailure{where, "'remediable' must be true or false"};
      def.remediable = s["remediable"].get<bool>();
    }
    def.summary = get_string(s, "summary", where);
    def.doc = get_string(s, "doc", where, false);
    catalog.symptoms.push_back(std::move(def));
  }
  if (!root.contains("rules") || !root["rules"].is_array())
    throw ParseFailure{"catalog", "'rules' must be a list"};
  i = 0;
  for (const auto& r : root["rules"]) {
    std::string where = "rules[" + std::to_string(i++) + "]";
    check_keys(r, where, {"symptom", "channels", "providers", "event_ids", "where", "details"});
    DetectionRule rule{get_string(r, "symptom", where), parse_matcher(r, where)};
    if (!ids.count(rule.symptom)) throw ParseFailure{where, "symptom '" + rule.symptom + "' is not defined"};
    catalog.rules.push_back(std::move(rule));
  }
  i = 0;
  if (root.contains("context")) {
    if (!root["context"].is_array()) throw ParseFailure{"catalog", "'context' must be a list"};
    for (const auto& r : root["context"]) {
      std::string where = "context[" + std::to_string(i++) + "]";
      check_keys(r, where, {"label", "summary", "channels", "providers", "event_ids", "where", "details"});
      catalog.context.push_back(
          {get_string(r, "label", where), get_string(r, "summary", where), parse_matcher(r, where)});
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
  return std::all_of(where.begin(), where.end(), [&](const Condition& c) { return holds(c, event); });
}

Result<Catalog> parse_catalog(std::string_view json_text, const std::string& origin) {
  json root = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Error{"load detection catalog", origin, "not valid JSON"};
  try {
    return parse_catalog_json(root);
  } catch (const ParseFailure& f) {
    return Error{"load detection catalog", origin, f.where + ": " + f.message};
  }
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
