#include "admx/admx_template.h"

#include <array>
#include <cstdint>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

#include <pugixml.hpp>

#include "policy_sources.h"
#include "policy_table.h"
#include "toml_source.h"

namespace rdpmend::policy::admx {
namespace {

constexpr const char* kXmlNamespace = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";
constexpr const char* kRevision = "1.0";
constexpr const char* kSchemaVersion = "1.0";
constexpr const char* kPrefix = "rdpmend";
constexpr const char* kPolicyNamespace = "RdpMend.Policies";
constexpr const char* kRootCategory = "RdpMend";
constexpr const char* kSupportedOn = "SUPPORTED_RdpMend";
// The longest text a text policy accepts. Every kText value is short (a schedule, a group name).
constexpr std::size_t kTextMaxLength = 255;
constexpr const char* kGeneratedNote =
    " Generated from policies/policy_table.cpp by `rdpmend policy template`. Do not edit: run "
    "scripts/gen-admx.sh. ";

struct CategoryText {
  Category category;
  const char* name;  // the ADMX category name
  const char* display;
  const char* explain;
};

constexpr std::array<CategoryText, 5> kCategories = {{
    {Category::kRemediation, "Remediation", "Remediation",
     "Whether and how RdpMend repairs this host, how often it checks the host's health, and how long it "
     "keeps its journal."},
    {Category::kActions, "Actions", "Actions",
     "Which repairs RdpMend may apply. A repair runs only when its switch allows it and the remediation "
     "mode is Auto (or Approve, after an administrator approved it)."},
    {Category::kLimits, "Limits", "Limits",
     "When and how often RdpMend may change the host: maintenance window, rate limit, cooldown and circuit "
     "breaker."},
    {Category::kCertificate, "Certificate", "Certificate",
     "The Remote Desktop listener's certificate: when it counts as expiring."},
    {Category::kXrdpHosts, "XrdpHosts", "xrdp hosts (Linux)",
     "Settings for Linux hosts running xrdp. Windows hosts ignore them; Linux hosts read them from the "
     "[policy] table of their configuration file."},
}};

const CategoryText& category_text(Category category) {
  for (const auto& c : kCategories)
    if (c.category == category) return c;
  throw std::logic_error("admx: a policy category has no ADMX category");
}

// A string or presentation id: letters, digits and '_' only (the schema's resourceID), so "ec-p256" becomes
// "ec_p256".
std::string resource_id(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) c = '_';
  }
  return out;
}

std::string string_ref(std::string_view id) {
  return "$(string." + std::string(id) + ")";
}

std::string help_id(const Setting& s) {
  return std::string(s.name) + "_Help";
}

std::string item_id(const Setting& s, std::string_view choice) {
  return std::string(s.name) + "_" + resource_id(choice);
}

void set(pugi::xml_node node, const char* attribute, std::string_view value) {
  node.append_attribute(attribute).set_value(std::string(value).c_str());
}

void set(pugi::xml_node node, const char* attribute, std::int64_t value) {
  set(node, attribute, std::to_string(value));
}

pugi::xml_node add_text(pugi::xml_node parent, const char* name, std::string_view text) {
  auto node = parent.append_child(name);
  node.append_child(pugi::node_pcdata).set_value(std::string(text).c_str());
  return node;
}

void add_decimal_value(pugi::xml_node parent, const char* name, std::int64_t value) {
  set(parent.append_child(name).append_child("decimal"), "value", value);
}

std::size_t default_index(const Setting& s) {
  for (std::size_t i = 0; i < s.choices.size(); ++i)
    if (s.choices[i] == s.default_value) return i;
  throw std::logic_error("admx: the default of " + std::string(s.name) + " is not one of its choices");
}

bool required_text(const Setting& s) {
  return s.validate && s.validate("").has_value();  // empty text is refused, so the box may not stay empty
}

// Broken invariants of the table that the template cannot express; a unit test keeps the table clear of them.
void check_expressible(const Setting& s) {
  if (s.title.empty() || s.help.empty())
    throw std::logic_error("admx: " + std::string(s.name) + " has no title or no help");
  if (s.type == ValueType::kInteger &&
      (s.min < 0 || s.max > std::numeric_limits<std::uint32_t>::max() || s.min > s.max))
    throw std::logic_error("admx: the range of " + std::string(s.name) + " does not fit a REG_DWORD");
  if (s.type == ValueType::kChoice) {
    default_index(s);
    for (auto c : s.choices)
      if (c.empty() || c.size() > 255) throw std::logic_error("admx: a choice of " + std::string(s.name));
  }
}

std::string toml_example(const Setting& s) {
  bool quoted = s.type == ValueType::kChoice || s.type == ValueType::kText;
  std::string value = quoted ? "\"" + std::string(s.default_value) + "\"" : std::string(s.default_value);
  return std::string(s.name) + " = " + value;
}

std::string explain_text(const Setting& s) {
  const SourceOptions where;
  std::string text = std::string(s.help) + "\n\n";
  std::string registry;
  switch (s.type) {
    case ValueType::kBool:
      text += "Enabled: on. Disabled: off.\nDefault: ";
      text += s.default_value == "true" ? "on" : "off";
      registry = "REG_DWORD 1 (Enabled) or 0 (Disabled)";
      break;
    case ValueType::kChoice: {
      text += "Values: ";
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        text += (i ? ", " : "") + std::string(s.choices[i]);
        if (s.choice_storage == ChoiceStorage::kIndex) text += " (" + std::to_string(i) + ")";
      }
      text += ".\nDefault: " + std::string(s.default_value);
      registry = s.choice_storage == ChoiceStorage::kIndex ? "REG_DWORD, the number of the value"
                                                           : "REG_SZ, the value's name";
      break;
    }
    case ValueType::kInteger:
      text += "Range: " + std::to_string(s.min) + " to " + std::to_string(s.max) +
              ".\nDefault: " + std::string(s.default_value);
      registry = "REG_DWORD";
      break;
    case ValueType::kText:
      text += "Text of at most " + std::to_string(kTextMaxLength) + " characters.\nDefault: ";
      text += s.default_value.empty() ? "empty" : std::string(s.default_value);
      registry = "REG_SZ";
      break;
  }
  text += ".\n";
  if (s.category == Category::kXrdpHosts) {
    text += "Windows hosts ignore this setting. Linux hosts running xrdp read it from " +
            std::string(kDefaultConfigPath) + ", table [" + std::string(kTomlPolicyTable) +
            "], for example: " + toml_example(s);
    return text;
  }
  text += "Registry: " + where.group_policy_key + ", value " + std::string(s.name) + ", " + registry + ".\n";
  text += s.type == ValueType::kBool ? "Not configured" : "Not configured or Disabled";
  text += ": the local setting (" + where.local_key + ", value " + std::string(s.name) +
          ") applies, else the default.";
  return text;
}

// The element that carries the value of a setting other than a switch (a switch is the policy's own value).
void add_elements(pugi::xml_node policy, const Setting& s) {
  auto elements = policy.append_child("elements");
  switch (s.type) {
    case ValueType::kBool:
      throw std::logic_error("admx: a switch has no element");
    case ValueType::kChoice: {
      auto e = elements.append_child("enum");
      set(e, "id", s.name);
      set(e, "valueName", s.name);
      set(e, "required", "true");
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        auto item = e.append_child("item");
        set(item, "displayName", string_ref(item_id(s, s.choices[i])));
        auto value = item.append_child("value");
        if (s.choice_storage == ChoiceStorage::kIndex)
          set(value.append_child("decimal"), "value", static_cast<std::int64_t>(i));
        else
          value.append_child("string")
              .append_child(pugi::node_pcdata)
              .set_value(std::string(s.choices[i]).c_str());
      }
      break;
    }
    case ValueType::kInteger: {
      auto e = elements.append_child("decimal");
      set(e, "id", s.name);
      set(e, "valueName", s.name);
      set(e, "required", "true");
      set(e, "minValue", s.min);
      set(e, "maxValue", s.max);
      break;
    }
    case ValueType::kText: {
      auto e = elements.append_child("text");
      set(e, "id", s.name);
      set(e, "valueName", s.name);
      set(e, "required", required_text(s) ? "true" : "false");
      set(e, "maxLength", static_cast<std::int64_t>(kTextMaxLength));
      break;
    }
  }
}

void add_policy(pugi::xml_node policies, const Setting& s, const std::string& key) {
  check_expressible(s);
  auto policy = policies.append_child("policy");
  set(policy, "name", s.name);
  set(policy, "class", "Machine");
  set(policy, "displayName", string_ref(s.name));
  set(policy, "explainText", string_ref(help_id(s)));
  if (s.type != ValueType::kBool) set(policy, "presentation", "$(presentation." + std::string(s.name) + ")");
  set(policy, "key", key);
  if (s.type == ValueType::kBool) set(policy, "valueName", s.name);
  set(policy.append_child("parentCategory"), "ref", category_text(s.category).name);
  set(policy.append_child("supportedOn"), "ref", kSupportedOn);
  if (s.type == ValueType::kBool) {
    add_decimal_value(policy, "enabledValue", 1);
    add_decimal_value(policy, "disabledValue", 0);
    return;
  }
  add_elements(policy, s);
}

pugi::xml_node start_document(pugi::xml_document& doc, const char* root_name) {
  auto declaration = doc.append_child(pugi::node_declaration);
  set(declaration, "version", "1.0");
  set(declaration, "encoding", "utf-8");
  doc.append_child(pugi::node_comment).set_value(kGeneratedNote);
  auto root = doc.append_child(root_name);
  set(root, "revision", kRevision);
  set(root, "schemaVersion", kSchemaVersion);
  set(root, "xmlns", kXmlNamespace);
  return root;
}

std::string save(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

// The ADML string table, refusing an id given twice (two choices that differ only in punctuation).
class StringTable {
 public:
  explicit StringTable(pugi::xml_node table) : table_(table) {}
  void add(const std::string& id, std::string_view text) {
    if (!ids_.insert(id).second) throw std::logic_error("admx: string id " + id + " is used twice");
    set(add_text(table_, "string", text), "id", id);
  }

 private:
  pugi::xml_node table_;
  std::set<std::string> ids_;
};

void add_presentation(pugi::xml_node table, const Setting& s) {
  auto presentation = table.append_child("presentation");
  set(presentation, "id", s.name);
  switch (s.type) {
    case ValueType::kBool:
      break;
    case ValueType::kChoice: {
      auto control = add_text(presentation, "dropdownList", s.title);
      set(control, "refId", s.name);
      set(control, "noSort", "true");
      set(control, "defaultItem", static_cast<std::int64_t>(default_index(s)));
      break;
    }
    case ValueType::kInteger: {
      auto control = add_text(presentation, "decimalTextBox", s.title);
      set(control, "refId", s.name);
      set(control, "defaultValue", s.default_value);
      break;
    }
    case ValueType::kText: {
      auto control = presentation.append_child("textBox");
      set(control, "refId", s.name);
      add_text(control, "label", s.title);
      if (!s.default_value.empty()) add_text(control, "defaultValue", s.default_value);
      break;
    }
  }
}

}  // namespace

std::string policy_key() {
  std::string key = SourceOptions{}.group_policy_key;
  return key.substr(key.find('\\') + 1);
}

std::string admx_document() {
  pugi::xml_document doc;
  auto root = start_document(doc, "policyDefinitions");
  auto target = root.append_child("policyNamespaces").append_child("target");
  set(target, "prefix", kPrefix);
  set(target, "namespace", kPolicyNamespace);
  set(root.append_child("resources"), "minRequiredRevision", kRevision);

  auto definition = root.append_child("supportedOn").append_child("definitions").append_child("definition");
  set(definition, "name", kSupportedOn);
  set(definition, "displayName", string_ref(kSupportedOn));

  auto categories = root.append_child("categories");
  auto top = categories.append_child("category");
  set(top, "name", kRootCategory);
  set(top, "displayName", string_ref(std::string("Category_") + kRootCategory));
  set(top, "explainText", string_ref(std::string("Category_") + kRootCategory + "_Help"));
  for (const auto& c : kCategories) {
    auto category = categories.append_child("category");
    set(category, "name", c.name);
    set(category, "displayName", string_ref(std::string("Category_") + c.name));
    set(category, "explainText", string_ref(std::string("Category_") + c.name + "_Help"));
    set(category.append_child("parentCategory"), "ref", kRootCategory);
  }

  auto policies = root.append_child("policies");
  const std::string key = policy_key();
  for (const auto& s : policy_table()) add_policy(policies, s, key);
  return save(doc);
}

std::string adml_document() {
  pugi::xml_document doc;
  auto root = start_document(doc, "policyDefinitionResources");
  add_text(root, "displayName", "RdpMend");
  add_text(root, "description",
           "Group Policy settings of RdpMend, the self-healing agent for Remote Desktop hosts.");
  auto resources = root.append_child("resources");
  StringTable strings(resources.append_child("stringTable"));
  strings.add(kSupportedOn, "Hosts with the RdpMend agent installed");
  strings.add(std::string("Category_") + kRootCategory, "RdpMend");
  strings.add(
      std::string("Category_") + kRootCategory + "_Help",
      "RdpMend watches the Remote Desktop host, diagnoses why connections fail, and applies the repairs "
      "these settings allow, recording every step in its journal.");
  for (const auto& c : kCategories) {
    strings.add(std::string("Category_") + c.name, c.display);
    strings.add(std::string("Category_") + c.name + "_Help", c.explain);
  }
  for (const auto& s : policy_table()) {
    check_expressible(s);
    strings.add(std::string(s.name), s.title);
    strings.add(help_id(s), explain_text(s));
    if (s.type == ValueType::kChoice)
      for (auto choice : s.choices) strings.add(item_id(s, choice), choice);
  }
  auto presentations = resources.append_child("presentationTable");
  for (const auto& s : policy_table())
    if (s.type != ValueType::kBool) add_presentation(presentations, s);
  return save(doc);
}

}  // namespace rdpmend::policy::admx
