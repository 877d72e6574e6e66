#include "diagnosis/diagnosis_catalog.h"

#include <algorithm>
#include <set>

#include "catalog/diagnosis_catalog_data.h"
#include "inspect/host_state.h"

namespace rdpmend::diagnosis {
namespace {

using Json = nlohmann::json;

struct Bad {
  std::string where;
  std::string message;
};

void check_keys(const Json& j, const std::string& where, std::initializer_list<const char*> allowed) {
  if (!j.is_object()) throw Bad{where, "must be an object"};
  for (const auto& item : j.items()) {
    const std::string& key = item.key();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
      throw Bad{where, "unknown key '" + key + "'"};
  }
}

std::string string_at(const Json& j, const char* key, const std::string& where) {
  if (!j.contains(key) || !j[key].is_string())
    throw Bad{where, std::string("'") + key + "' must be a string"};
  return j[key].get<std::string>();
}

std::vector<std::string> strings_at(const Json& j, const char* key, const std::string& where) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) throw Bad{where, std::string("'") + key + "' must be a list of strings"};
  for (const auto& v : j[key]) {
    if (!v.is_string()) throw Bad{where, std::string("'") + key + "' must be a list of strings"};
    out.push_back(v.get<std::string>());
  }
  return out;
}

void check_pointer(const std::string& pointer, const std::string& where) {
  if (pointer.empty() || pointer[0] != '/')
    throw Bad{where, "state pointer '" + pointer + "' must start with '/'"};
}

StateCondition parse_condition(const Json& j, const std::string& where) {
  check_keys(j, where, {"state", "equals", "not_equals", "in", "not_in", "all", "any"});
  StateCondition c;
  int ops = 0;
  for (const char* group : {"all", "any"}) {
    if (!j.contains(group)) continue;
    ++ops;
    c.op = std::string_view(group) == "all" ? StateCondition::Op::kAll : StateCondition::Op::kAny;
    if (!j[group].is_array() || j[group].empty())
      throw Bad{where, std::string("'") + group + "' must be a non-empty list"};
    int i = 0;
    for (const auto& k : j[group])
      c.children.push_back(parse_condition(k, where + "." + group + "[" + std::to_string(i++) + "]"));
  }
  if (j.contains("equals")) {
    ++ops;
    c.op = StateCondition::Op::kEquals;
    c.values = {j["equals"]};
  }
  if (j.contains("not_equals")) {
    ++ops;
    c.op = StateCondition::Op::kNotEquals;
    c.values = {j["not_equals"]};
  }
  for (const char* list : {"in", "not_in"}) {
    if (!j.contains(list)) continue;
    ++ops;
    c.op = std::string_view(list) == "in" ? StateCondition::Op::kIn : StateCondition::Op::kNotIn;
    if (!j[list].is_array() || j[list].empty())
      throw Bad{where, std::string("'") + list + "' must be a non-empty list"};
    c.values.assign(j[list].begin(), j[list].end());
  }
  if (ops != 1) throw Bad{where, "a condition needs exactly one of equals, not_equals, in, not_in, all, any"};
  bool group = c.op == StateCondition::Op::kAll || c.op == StateCondition::Op::kAny;
  if (group == j.contains("state"))
    throw Bad{where, group ? "'all'/'any' take no 'state'" : "missing 'state'"};
  if (!group) {
    c.pointer = string_at(j, "state", where);
    check_pointer(c.pointer, where);
  }
  return c;
}

DiagnosisCatalog parse(const Json& root, const events::Catalog& detection) {
  check_keys(root, "catalog", {"version", "actions", "findings"});
  if (!root.contains("version") || root["version"] != 1) throw Bad{"catalog", "'version' must be 1"};
  DiagnosisCatalog catalog;
  if (!root.contains("actions") || !root["actions"].is_array())
    throw Bad{"catalog", "'actions' must be a list"};
  std::set<std::string> action_ids;
  int i = 0;
  for (const auto& a : root["actions"]) {
    std::string where = "actions[" + std::to_string(i++) + "]";
    check_keys(a, where, {"id", "order", "summary", "needs_trusted", "subsumes"});
    ActionDefinition def{string_at(a, "id", where), 0, string_at(a, "summary", where), {}, {}};
    if (a.contains("needs_trusted")) def.needs_trusted = strings_at(a, "needs_trusted", where);
    for (const auto& role : def.needs_trusted)
      if (std::find_if(std::begin(inspect::kRoles), std::end(inspect::kRoles),
                       [&](const char* known) { return role == known; }) == std::end(inspect::kRoles))
        throw Bad{where, "'needs_trusted' role '" + role + "' is not a file role of the host state"};
    if (a.contains("subsumes")) def.subsumes = strings_at(a, "subsumes", where);
    if (!a.contains("order") || !a["order"].is_number_integer())
      throw Bad{where, "'order' must be a whole number"};
    def.order = a["order"].get<int>();
    if (!action_ids.insert(def.id).second) throw Bad{where, "duplicate action '" + def.id + "'"};
    catalog.actions.push_back(def);
  }
  for (const auto& def : catalog.actions)
    for (const auto& other : def.subsumes)
      if (!action_ids.count(other))
        throw Bad{"actions", def.id + " subsumes '" + other + "', which is not defined"};
  if (!root.contains("findings") || !root["findings"].is_array())
    throw Bad{"catalog", "'findings' must be a list"};
  std::set<std::string> finding_ids;
  i = 0;
  for (const auto& f : root["findings"]) {
    std::string where = "findings[" + std::to_string(i++) + "]";
    check_keys(f, where,
               {"id", "severity", "platforms", "summary", "when", "evidence", "symptoms", "actions"});
    FindingRule rule;
    rule.id = string_at(f, "id", where);
    if (!finding_ids.insert(rule.id).second) throw Bad{where, "duplicate finding '" + rule.id + "'"};
    std::string severity = string_at(f, "severity", where);
    auto parsed = events::parse_severity(severity);
    if (!parsed) throw Bad{where, "severity '" + severity + "' is not info, warning, error or critical"};
    rule.severity = *parsed;
    rule.summary = string_at(f, "summary", where);
    rule.platforms = strings_at(f, "platforms", where);
    for (const auto& p : rule.platforms)
      if (p != "windows" && p != "xrdp") throw Bad{where, "platform '" + p + "' is not windows or xrdp"};
    if (!f.contains("when") || !f["when"].is_array() || f["when"].empty())
      throw Bad{where, "'when' must list the state that confirms the finding"};
    int k = 0;
    for (const auto& c : f["when"])
      rule.when.push_back(parse_condition(c, where + ".when[" + std::to_string(k++) + "]"));
    rule.evidence = strings_at(f, "evidence", where);
    for (const auto& p : rule.evidence) check_pointer(p, where);
    rule.symptoms = strings_at(f, "symptoms", where);
    for (const auto& s : rule.symptoms)
      if (!detection.symptom(s)) throw Bad{where, "symptom '" + s + "' is not in the detection catalog"};
    rule.actions = strings_at(f, "actions", where);
    for (const auto& a : rule.actions)
      if (!action_ids.count(a)) throw Bad{where, "action '" + a + "' is not defined"};
    catalog.findings.push_back(std::move(rule));
  }
  return catalog;
}

void collect(const Json& node, std::string_view rest, std::vector<const Json*>& out) {
  if (rest.empty()) {
    if (!node.is_null() && !(node.is_string() && node.get_ref<const std::string&>().empty()))
      out.push_back(&node);
    return;
  }
  rest.remove_prefix(1);  // the '/'
  auto slash = rest.find('/');
  std::string segment(rest.substr(0, slash));
  std::string_view tail = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (segment == "*") {
    if (node.is_array())
      for (const auto& item : node) collect(item, tail, out);
    return;
  }
  if (node.is_object()) {
    auto it = node.find(segment);
    if (it != node.end()) collect(*it, tail, out);
  } else if (node.is_array()) {
    std::size_t index = 0;
    for (char ch : segment) {
      if (ch < '0' || ch > '9') return;
      index = index * 10 + static_cast<std::size_t>(ch - '0');
    }
    if (!segment.empty() && index < node.size()) collect(node[index], tail, out);
  }
}

}  // namespace

const ActionDefinition* DiagnosisCatalog::action(std::string_view id) const {
  for (const auto& a : actions)
    if (a.id == id) return &a;
  return nullptr;
}

std::vector<const nlohmann::json*> values_at(const nlohmann::json& document, std::string_view pointer) {
  std::vector<const nlohmann::json*> out;
  if (!pointer.empty() && pointer[0] == '/') collect(document, pointer, out);
  return out;
}

bool holds(const StateCondition& c, const nlohmann::json& document) {
  switch (c.op) {
    case StateCondition::Op::kAll:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const auto& k) { return holds(k, document); });
    case StateCondition::Op::kAny:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const auto& k) { return holds(k, document); });
    default:
      break;
  }
  auto found = values_at(document, c.pointer);
  auto in_values = [&](const nlohmann::json* v) {
    return std::find(c.values.begin(), c.values.end(), *v) != c.values.end();
  };
  // Any element of a wildcard list may confirm; nothing there (unknown) never does.
  return std::any_of(found.begin(), found.end(), [&](const nlohmann::json* v) {
    switch (c.op) {
      case StateCondition::Op::kEquals:
      case StateCondition::Op::kIn:
        return in_values(v);
      case StateCondition::Op::kNotEquals:
      case StateCondition::Op::kNotIn:
        return !in_values(v);
      default:
        return false;
    }
  });
}

Result<DiagnosisCatalog> parse_diagnosis_catalog(std::string_view json_text, const std::string& origin,
                                                 const events::Catalog& detection) {
  auto root = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (root.is_discarded()) return Error{"load diagnosis catalog", origin, "not valid JSON"};
  try {
    return parse(root, detection);
  } catch (const Bad& bad) {
    return Error{"load diagnosis catalog", origin, bad.where + ": " + bad.message};
  }
}

const DiagnosisCatalog& default_diagnosis_catalog() {
  static const DiagnosisCatalog catalog = [] {
    auto parsed = parse_diagnosis_catalog(catalog_data::diagnosis_json(), "built-in diagnosis catalog",
                                          events::default_catalog());
    if (!parsed) throw std::logic_error(parsed.error().message());
    return std::move(parsed).value();
  }();
  return catalog;
}

}  // namespace rdpmend::diagnosis
