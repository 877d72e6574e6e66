#include "admx/admx_check.h"

#include <map>
#include <optional>
#include <set>

#include <pugixml.hpp>

#include "admx/admx_template.h"
#include "ascii_case.h"

namespace rdpmend::policy::admx {
namespace {

using Problems = std::vector<std::string>;

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// Both documents parsed, or the problems that stopped it.
struct Pair {
  pugi::xml_document admx;
  pugi::xml_document adml;
  pugi::xml_node definitions;  // <policyDefinitions>
  pugi::xml_node resources;    // <policyDefinitionResources><resources>
};

bool load(std::string_view text, const char* file, const char* root_name, pugi::xml_document& doc,
          pugi::xml_node& root, Problems& problems) {
  auto parsed = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    problems.push_back(std::string(file) + ": not XML: " + parsed.description() + " at byte " +
                       std::to_string(parsed.offset));
    return false;
  }
  root = doc.child(root_name);
  if (!root) {
    problems.push_back(std::string(file) + ": the root element is not <" + root_name + ">");
    return false;
  }
  return true;
}

bool load_pair(std::string_view admx, std::string_view adml, Pair& pair, Problems& problems) {
  pugi::xml_node adml_root;
  bool ok = load(admx, "admx", "policyDefinitions", pair.admx, pair.definitions, problems);
  ok = load(adml, "adml", "policyDefinitionResources", pair.adml, adml_root, problems) && ok;
  if (ok) pair.resources = adml_root.child("resources");
  return ok;
}

// "$(string.X)" -> "X" for `kind` "string"; nullopt for anything else.
std::optional<std::string> reference_id(std::string_view value, std::string_view kind) {
  std::string start = "$(" + std::string(kind) + ".";
  if (!value.starts_with(start) || !value.ends_with(")")) return std::nullopt;
  return std::string(value.substr(start.size(), value.size() - start.size() - 1));
}

// The ids of the children `child` of `table`, each once; a repeated id is a problem.
std::map<std::string, pugi::xml_node> index_ids(pugi::xml_node table, const char* child, const char* what,
                                                Problems& problems) {
  std::map<std::string, pugi::xml_node> ids;
  for (auto node : table.children(child)) {
    std::string id = node.attribute("id").value();
    if (!ids.emplace(id, node).second)
      problems.push_back("adml: " + std::string(what) + " " + quoted(id) + " is defined twice");
  }
  return ids;
}

// The control types that may present each element type.
bool control_fits(std::string_view control, std::string_view element) {
  if (control == "checkBox") return element == "boolean";
  if (control == "dropdownList") return element == "enum";
  if (control == "decimalTextBox") return element == "decimal";
  if (control == "textBox" || control == "comboBox") return element == "text";
  if (control == "listBox") return element == "list";
  if (control == "multiTextBox") return element == "multiText";
  return false;
}

bool is_control(std::string_view name) {
  return name == "checkBox" || name == "dropdownList" || name == "decimalTextBox" || name == "textBox" ||
         name == "comboBox" || name == "listBox" || name == "multiTextBox";
}

// A decimal element's bound, with the schema's defaults (0, 9999).
long long bound(pugi::xml_node element, const char* name, long long fallback) {
  auto attribute = element.attribute(name);
  return attribute ? attribute.as_llong() : fallback;
}

// A registry value a policy writes: the policy's own valueName or an element's (including list items).
struct Write {
  std::string key;
  std::string value_name;
  pugi::xml_node node;  // the <policy> or the element that names the value
};

std::vector<Write> writes_of(pugi::xml_node policy) {
  std::vector<Write> out;
  std::string policy_key_text = policy.attribute("key").value();
  if (policy.attribute("valueName"))
    out.push_back({policy_key_text, policy.attribute("valueName").value(), policy});
  for (auto node : policy.select_nodes(".//*[@valueName]")) {
    auto n = node.node();
    std::string key = n.attribute("key") ? n.attribute("key").value() : policy_key_text;
    out.push_back({key, n.attribute("valueName").value(), n});
  }
  return out;
}

// Where a reference `ref` ("Name" or "prefix:Name") leads: a local name that must be in `local`, or a
// name in another namespace declared with <using>.
void check_ref(std::string_view ref, const std::set<std::string>& local, const std::string& target_prefix,
               const std::set<std::string>& using_prefixes, const std::string& where, const char* what,
               Problems& problems) {
  std::string_view name = ref;
  if (auto colon = ref.find(':'); colon != std::string_view::npos) {
    std::string prefix(ref.substr(0, colon));
    name = ref.substr(colon + 1);
    if (prefix != target_prefix) {
      if (!using_prefixes.count(prefix))
        problems.push_back(where + ": " + what + " " + quoted(ref) + " uses an undeclared prefix " +
                           quoted(prefix));
      return;
    }
  }
  if (!local.count(std::string(name)))
    problems.push_back(where + ": " + what + " " + quoted(ref) + " is not defined");
}

void check_key(std::string_view key, const std::string& where, Problems& problems) {
  for (std::string_view hive : {"HKLM", "HKCU", "HKEY_", "HKU\\", "HKCR"})
    if (key.size() >= hive.size() && iequals(key.substr(0, hive.size()), hive)) {
      problems.push_back(where + ": key " + quoted(key) + " names a hive; ADMX keys have none");
      return;
    }
  std::string base = policy_key();
  bool under = key.size() >= base.size() && iequals(key.substr(0, base.size()), base) &&
               (key.size() == base.size() || key[base.size()] == '\\');
  if (!under) problems.push_back(where + ": key " + quoted(key) + " is not under " + base);
}

void check_string_refs(pugi::xml_node root, const std::map<std::string, pugi::xml_node>& strings,
                       const std::map<std::string, pugi::xml_node>& presentations, Problems& problems) {
  for (auto node : root.select_nodes("//*")) {
    for (auto attribute : node.node().attributes()) {
      std::string where = "admx: <" + std::string(node.node().name()) + "> " + attribute.name();
      if (auto id = reference_id(attribute.value(), "string"); id && !strings.count(*id))
        problems.push_back(where + ": string " + quoted(*id) + " is not in the ADML string table");
      if (auto id = reference_id(attribute.value(), "presentation"); id && !presentations.count(*id))
        problems.push_back(where + ": presentation " + quoted(*id) +
                           " is not in the ADML presentation table");
    }
  }
}

void check_elements(pugi::xml_node policy, const std::string& where, Problems& problems) {
  std::set<std::string> ids;
  for (auto element : policy.child("elements").children()) {
    std::string id = element.attribute("id").value();
    if (!ids.insert(id).second) problems.push_back(where + ": element id " + quoted(id) + " is used twice");
    if (element.attribute("key"))
      check_key(element.attribute("key").value(), where + ", element " + quoted(id), problems);
    std::string type = element.name();
    if (type == "decimal" && bound(element, "minValue", 0) > bound(element, "maxValue", 9999))
      problems.push_back(where + ": element " + quoted(id) + " has minValue above maxValue");
    if (type == "enum") {
      std::set<std::string> values;
      for (auto item : element.children("item")) {
        auto value = item.child("value").first_child();
        std::string text =
            std::string(value.name()) + ":" + value.attribute("value").value() + value.text().get();
        if (!values.insert(text).second)
          problems.push_back(where + ": element " + quoted(id) + " has the same value for two items");
      }
    }
  }
}

void check_presentation(pugi::xml_node policy, const std::map<std::string, pugi::xml_node>& presentations,
                        const std::string& where, Problems& problems) {
  auto elements = policy.child("elements");
  std::string reference = policy.attribute("presentation").value();
  if (reference.empty()) {
    if (elements.first_child()) problems.push_back(where + ": has elements but no presentation");
    return;
  }
  auto id = reference_id(reference, "presentation");
  if (!id) return;
  auto found = presentations.find(*id);
  if (found == presentations.end()) return;  // reported by check_string_refs
  std::set<std::string> presented;
  for (auto control : found->second.children()) {
    std::string type = control.name();
    if (!is_control(type)) continue;
    std::string ref = control.attribute("refId").value();
    auto element = elements.find_child_by_attribute("id", ref.c_str());
    std::string control_where = "adml: presentation " + quoted(*id) + ": " + type + " refId " + quoted(ref);
    if (!element) {
      problems.push_back(control_where + " names no element of policy " +
                         quoted(policy.attribute("name").value()));
      continue;
    }
    presented.insert(ref);
    if (!control_fits(type, element.name())) {
      problems.push_back(control_where + " presents a <" + element.name() + "> element");
      continue;
    }
    if (type == "dropdownList" && control.attribute("defaultItem")) {
      auto items = std::distance(element.children("item").begin(), element.children("item").end());
      if (control.attribute("defaultItem").as_llong() >= items)
        problems.push_back(control_where + ": defaultItem is past the last item");
    }
    if (type == "decimalTextBox") {
      long long value = bound(control, "defaultValue", 1);
      if (value < bound(element, "minValue", 0) || value > bound(element, "maxValue", 9999))
        problems.push_back(control_where + ": defaultValue is outside the element's range");
    }
  }
  for (auto element : elements.children()) {
    std::string element_id = element.attribute("id").value();
    if (!presented.count(element_id))
      problems.push_back(where + ": element " + quoted(element_id) + " has no control in presentation " +
                         quoted(*id));
  }
}

const Setting* find_in(std::span<const Setting> table, std::string_view name) {
  for (const auto& s : table)
    if (s.name == name) return &s;
  return nullptr;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return "[" + out + "]";
}

// The control of `presentations` that presents `element` of `policy`, or an empty node.
pugi::xml_node control_of(pugi::xml_node policy, pugi::xml_node element,
                          const std::map<std::string, pugi::xml_node>& presentations) {
  auto id = reference_id(policy.attribute("presentation").value(), "presentation");
  if (!id) return {};
  auto found = presentations.find(*id);
  if (found == presentations.end()) return {};
  return found->second.find_child_by_attribute("refId", element.attribute("id").value());
}

// The template's form of `s` is the table's: type, values or range, and the ADML control's default.
void check_setting(const Setting& s, const Write& w,
                   const std::map<std::string, pugi::xml_node>& presentations, Problems& problems) {
  auto node = w.node;
  auto policy = node;
  while (policy && std::string_view(policy.name()) != "policy") policy = policy.parent();
  std::string where =
      "admx: policy " + quoted(policy.attribute("name").value()) + ", value " + quoted(s.name);
  std::string kind = node.name();
  std::string adml_where = "adml: the control of " + quoted(s.name);
  if (s.type == ValueType::kBool) {
    if (node != policy) {
      problems.push_back(where +
                         ": a switch is the policy's own value (enabledValue 1, disabledValue 0), not a <" +
                         kind + ">");
      return;
    }
    if (policy.child("enabledValue").child("decimal").attribute("value").as_llong(-1) != 1 ||
        policy.child("disabledValue").child("decimal").attribute("value").as_llong(-1) != 0)
      problems.push_back(where + ": a switch writes REG_DWORD 1 when enabled and 0 when disabled");
    return;
  }
  const char* expected = s.type == ValueType::kChoice    ? "enum"
                         : s.type == ValueType::kInteger ? "decimal"
                                                         : "text";
  if (kind != expected) {
    problems.push_back(where + ": expected an <" + expected + "> element (" + describe_type(s) +
                       "), found <" + kind + ">");
    return;
  }
  auto control = control_of(policy, node, presentations);
  if (!control) problems.push_back(adml_where + " is missing");
  switch (s.type) {
    case ValueType::kChoice: {
      std::vector<std::string> want, have;
      std::size_t default_item = 0;
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        bool index = s.choice_storage == ChoiceStorage::kIndex;
        want.push_back(index ? "decimal " + std::to_string(i) : "string " + std::string(s.choices[i]));
        if (s.choices[i] == s.default_value) default_item = i;
      }
      for (auto item : node.children("item")) {
        auto value = item.child("value").first_child();
        std::string name = value.name();
        have.push_back(name + " " +
                       (name == "decimal" ? value.attribute("value").value() : value.text().get()));
      }
      if (want != have)
        problems.push_back(where + ": enum values " + joined(have) + ", the table's are " + joined(want));
      if (control && control.attribute("defaultItem").as_llong(-1) != static_cast<long long>(default_item))
        problems.push_back(adml_where + ": defaultItem " + quoted(control.attribute("defaultItem").value()) +
                           ", the table's default is " + std::string(s.default_value) + " (item " +
                           std::to_string(default_item) + ")");
      break;
    }
    case ValueType::kInteger: {
      if (node.attribute("storeAsText").as_bool())
        problems.push_back(where + ": storeAsText writes REG_SZ; the agent reads a number as REG_DWORD");
      long long min = bound(node, "minValue", 0);
      long long max = bound(node, "maxValue", 9999);
      if (min != s.min || max != s.max)
        problems.push_back(where + ": range " + std::to_string(min) + ".." + std::to_string(max) +
                           ", the table's is " + std::to_string(s.min) + ".." + std::to_string(s.max));
      if (control && std::to_string(bound(control, "defaultValue", 1)) != s.default_value)
        problems.push_back(adml_where + ": defaultValue " +
                           std::to_string(bound(control, "defaultValue", 1)) + ", the table's default is " +
                           std::string(s.default_value));
      break;
    }
    case ValueType::kText: {
      if (node.attribute("expandable").as_bool())
        problems.push_back(where + ": expandable writes REG_EXPAND_SZ; the agent reads text as REG_SZ");
      std::string value = control.child("defaultValue").text().get();
      if (control && value != s.default_value)
        problems.push_back(adml_where + ": defaultValue " + quoted(value) + ", the table's default is " +
                           quoted(s.default_value));
      break;
    }
    case ValueType::kBool:
      break;
  }
}

}  // namespace

std::vector<std::string> check_references(std::string_view admx, std::string_view adml) {
  Problems problems;
  Pair pair;
  if (!load_pair(admx, adml, pair, problems)) return problems;
  auto strings = index_ids(pair.resources.child("stringTable"), "string", "string", problems);
  auto presentations =
      index_ids(pair.resources.child("presentationTable"), "presentation", "presentation", problems);
  auto root = pair.definitions;
  check_string_refs(root, strings, presentations, problems);

  std::string target_prefix = root.child("policyNamespaces").child("target").attribute("prefix").value();
  std::set<std::string> using_prefixes;
  for (auto u : root.child("policyNamespaces").children("using"))
    using_prefixes.insert(u.attribute("prefix").value());

  std::set<std::string> categories;
  for (auto category : root.child("categories").children("category"))
    if (!categories.insert(category.attribute("name").value()).second)
      problems.push_back("admx: category " + quoted(category.attribute("name").value()) +
                         " is defined twice");
  std::set<std::string> supported;
  for (auto node : root.child("supportedOn").select_nodes(".//*[@name]"))
    supported.insert(node.node().attribute("name").value());

  for (auto category : root.child("categories").children("category"))
    if (auto parent = category.child("parentCategory"))
      check_ref(parent.attribute("ref").value(), categories, target_prefix, using_prefixes,
                "admx: category " + quoted(category.attribute("name").value()), "parentCategory", problems);

  std::set<std::string> policy_names;
  std::map<std::string, std::string> writers;  // lower-case "key\value" -> policy name
  for (auto policy : root.child("policies").children("policy")) {
    std::string name = policy.attribute("name").value();
    std::string where = "admx: policy " + quoted(name);
    if (!policy_names.insert(name).second) problems.push_back(where + " is defined twice");
    check_key(policy.attribute("key").value(), where, problems);
    if (auto parent = policy.child("parentCategory"))
      check_ref(parent.attribute("ref").value(), categories, target_prefix, using_prefixes, where,
                "parentCategory", problems);
    check_ref(policy.child("supportedOn").attribute("ref").value(), supported, target_prefix, using_prefixes,
              where, "supportedOn", problems);
    check_elements(policy, where, problems);
    check_presentation(policy, presentations, where, problems);
    std::set<std::string> own;
    for (const auto& w : writes_of(policy)) {
      std::string id = w.key + "\\" + w.value_name;
      for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, inserted] = writers.emplace(id, name);
      if (!inserted && it->second != name)
        problems.push_back(where + ": value " + quoted(w.value_name) + " is also written by policy " +
                           quoted(it->second));
      else if (!own.insert(id).second)
        problems.push_back(where + ": value " + quoted(w.value_name) + " is written twice");
    }
  }
  return problems;
}

std::vector<std::string> check_against_table(std::string_view admx, std::string_view adml,
                                             std::span<const Setting> table) {
  Problems problems;
  Pair pair;
  if (!load_pair(admx, adml, pair, problems)) return problems;
  Problems ignored;  // repeated ids are check_references' to report
  auto presentations =
      index_ids(pair.resources.child("presentationTable"), "presentation", "presentation", ignored);
  const std::string key = policy_key();
  std::map<std::string, std::vector<Write>> by_name;
  for (auto policy : pair.definitions.child("policies").children("policy")) {
    std::string where = "admx: policy " + quoted(policy.attribute("name").value());
    if (std::string_view(policy.attribute("class").value()) != "Machine")
      problems.push_back(where + ": class " + quoted(policy.attribute("class").value()) +
                         "; the agent reads HKLM only (class \"Machine\")");
    for (const auto& w : writes_of(policy)) {
      if (!find_in(table, w.value_name))
        problems.push_back(where + ": writes value " + quoted(w.value_name) +
                           ", which is not in the policy table (the agent never reads it)");
      else if (!iequals(w.key, key))
        problems.push_back(where + ": writes " + quoted(w.value_name) + " under " + quoted(w.key) +
                           "; the agent reads " + quoted(key) + " only");
      else
        by_name[w.value_name].push_back(w);
    }
  }
  for (const auto& s : table) {
    const auto& found = by_name[std::string(s.name)];
    if (found.empty())
      problems.push_back("admx: setting " + quoted(s.name) + ": no policy writes value " + quoted(s.name) +
                         " to " + quoted(key));
    else if (found.size() > 1)
      problems.push_back("admx: setting " + quoted(s.name) + ": " + std::to_string(found.size()) +
                         " places write value " + quoted(s.name));
    else
      check_setting(s, found.front(), presentations, problems);
  }
  return problems;
}

std::vector<std::string> check_template(std::string_view admx, std::string_view adml) {
  auto problems = check_references(admx, adml);
  auto more = check_against_table(admx, adml, policy_table());
  problems.insert(problems.end(), more.begin(), more.end());
  return problems;
}

}  // namespace rdpmend::policy::admx
