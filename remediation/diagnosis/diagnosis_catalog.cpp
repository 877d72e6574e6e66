#include "diagnosis/diagnosis_catalog.h"

#include <algorithm>
#include <set>

#include "catalog/diagnosis_catalog_data.h"
#include "inspect/host_state.h"
#include "util/json_condition.h"
#include "util/strict_json.h"

namespace rdpmend::diagnosis {
namespace {

using Json = nlohmann::json;

constexpr std::pair<ActionKind, std::string_view> kActionKinds[] = {
    {ActionKind::kChange, "change"},
    {ActionKind::kServiceStart, "service-start"},
    {ActionKind::kServiceRestart, "service-restart"},
};

using util::check_keys;
using util::json_item_path;
using util::JsonFailure;
using util::string_at;
using util::strings_at;

void check_pointer(const std::string& pointer, const std::string& where) {
  if (pointer.empty() || pointer[0] != '/')
    throw JsonFailure{where, "state pointer '" + pointer + "' must start with '/'"};
}

void read_value_operand(const Json& j, const char* key, const std::string&, StateCondition& c) {
  c.values = {j[key]};
}

void read_list_operand(const Json& j, const char* key, const std::string& where, StateCondition& c) {
  const auto& list = j[key];
  if (!list.is_array() || list.empty())
    throw JsonFailure{where, std::string("'") + key + "' must be a non-empty list"};
  c.values.assign(list.begin(), list.end());
}

const util::ConditionGrammar<StateCondition> kConditionGrammar{
    "state",
    &StateCondition::pointer,
    {{"equals", StateCondition::Op::kEquals, read_value_operand},
     {"not_equals", StateCondition::Op::kNotEquals, read_value_operand},
     {"in", StateCondition::Op::kIn, read_list_operand},
     {"not_in", StateCondition::Op::kNotIn, read_list_operand}},
    "equals, not_equals, in, not_in",
    check_pointer,
};

DiagnosisCatalog parse(const Json& root, const events::Catalog& detection) {
  check_keys(root, "catalog", {"version", "rdp_service", "actions", "findings"});
  util::check_version(root, "catalog", 1);
  DiagnosisCatalog catalog;
  if (!root.contains("rdp_service") || !root["rdp_service"].is_object())
    throw JsonFailure{"rdp_service", "must name the RDP service of each platform"};
  for (const auto& [platform, service] : root["rdp_service"].items()) {
    if (!service.is_string() || service.get<std::string>().empty())
      throw JsonFailure{"rdp_service/" + platform, "must be a service name"};
    catalog.rdp_services[platform] = service.get<std::string>();
  }
  std::set<std::string> action_ids;
  std::size_t i = 0;
  for (const auto& a : util::list_at(root, "actions", "catalog")) {
    std::string where = json_item_path("", "actions", i++);
    check_keys(a, where, {"id", "order", "summary", "kind", "needs_trusted", "subsumes"});
    ActionDefinition def;
    def.id = string_at(a, "id", where);
    def.summary = string_at(a, "summary", where);
    if (a.contains("kind")) {
      auto kind = action_kind_from_id(string_at(a, "kind", where));
      if (!kind) throw JsonFailure{where, "'kind' must be change, service-start or service-restart"};
      def.kind = *kind;
    }
    def.needs_trusted = strings_at(a, "needs_trusted", where);
    for (const auto& role : def.needs_trusted)
      if (std::find_if(std::begin(inspect::kRoles), std::end(inspect::kRoles),
                       [&](const char* known) { return role == known; }) == std::end(inspect::kRoles))
        throw JsonFailure{where, "'needs_trusted' role '" + role + "' is not a file role of the host state"};
    def.subsumes = strings_at(a, "subsumes", where);
    if (!a.contains("order") || !a["order"].is_number_integer())
      throw JsonFailure{where, "'order' must be a whole number"};
    def.order = a["order"].get<int>();
    if (!action_ids.insert(def.id).second) throw JsonFailure{where, "duplicate action '" + def.id + "'"};
    catalog.actions.push_back(def);
  }
  for (const auto& def : catalog.actions)
    for (const auto& other : def.subsumes)
      if (!action_ids.count(other))
        throw JsonFailure{"actions", def.id + " subsumes '" + other + "', which is not defined"};
  std::set<std::string> finding_ids;
  i = 0;
  for (const auto& f : util::list_at(root, "findings", "catalog")) {
    std::string where = json_item_path("", "findings", i++);
    check_keys(
        f, where,
        {"id", "severity", "platforms", "summary", "when", "evidence", "symptoms", "actions", "by_hand"});
    FindingRule rule;
    rule.id = string_at(f, "id", where);
    if (!finding_ids.insert(rule.id).second) throw JsonFailure{where, "duplicate finding '" + rule.id + "'"};
    rule.severity = events::severity_at(f, "severity", where);
    rule.summary = string_at(f, "summary", where);
    rule.platforms = strings_at(f, "platforms", where);
    for (const auto& p : rule.platforms)
      if (!catalog.rdp_services.count(p))
        throw JsonFailure{where, "platform '" + p + "' has no 'rdp_service' (the platforms are its keys)"};
    if (!f.contains("when") || !f["when"].is_array() || f["when"].empty())
      throw JsonFailure{where, "'when' must list the state that confirms the finding"};
    std::size_t k = 0;
    for (const auto& c : f["when"])
      rule.when.push_back(util::parse_condition(c, json_item_path(where, "when", k++), kConditionGrammar));
    rule.evidence = strings_at(f, "evidence", where);
    for (const auto& p : rule.evidence) check_pointer(p, where);
    rule.symptoms = strings_at(f, "symptoms", where);
    for (const auto& s : rule.symptoms)
      if (!detection.symptom(s))
        throw JsonFailure{where, "symptom '" + s + "' is not in the detection catalog"};
    rule.actions = strings_at(f, "actions", where);
    for (const auto& a : rule.actions)
      if (!action_ids.count(a)) throw JsonFailure{where, "action '" + a + "' is not defined"};
    if (f.contains("by_hand")) {
      rule.by_hand = string_at(f, "by_hand", where);
      check_pointer(rule.by_hand, where);
    }
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

std::optional<ActionKind> action_kind_from_id(std::string_view id) {
  for (const auto& [kind, name] : kActionKinds)
    if (name == id) return kind;
  return std::nullopt;
}

const ActionDefinition* DiagnosisCatalog::action(std::string_view id) const {
  for (const auto& a : actions)
    if (a.id == id) return &a;
  return nullptr;
}

std::string_view DiagnosisCatalog::rdp_service(std::string_view platform) const {
  auto it = rdp_services.find(std::string(platform));
  return it == rdp_services.end() ? std::string_view() : std::string_view(it->second);
}

std::vector<const nlohmann::json*> values_at(const nlohmann::json& document, std::string_view pointer) {
  std::vector<const nlohmann::json*> out;
  if (!pointer.empty() && pointer[0] == '/') collect(document, pointer, out);
  return out;
}

namespace {

bool leaf_holds(const StateCondition& c, const nlohmann::json& document) {
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

}  // namespace

bool holds(const StateCondition& c, const nlohmann::json& document) {
  return util::condition_holds(c, [&](const StateCondition& leaf) { return leaf_holds(leaf, document); });
}

Result<DiagnosisCatalog> parse_diagnosis_catalog(std::string_view json_text, const std::string& origin,
                                                 const events::Catalog& detection) {
  return util::read_strict_json<DiagnosisCatalog>(json_text, "load diagnosis catalog", origin,
                                                  [&](const Json& root) { return parse(root, detection); });
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
