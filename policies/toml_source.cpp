#include "toml_source.h"

#include <toml++/toml.h>

namespace rdpmend::policy {
namespace {

RawValue raw_from_node(const toml::node& node) {
  if (auto* b = node.as_boolean()) return b->get();
  if (auto* n = node.as_integer()) return n->get();
  if (auto* s = node.as_string()) return s->get();
  switch (node.type()) {
    case toml::node_type::floating_point:
      return Unsupported{"TOML float"};
    case toml::node_type::array:
      return Unsupported{"TOML array"};
    case toml::node_type::table:
      return Unsupported{"TOML table"};
    default:
      return Unsupported{"TOML date/time"};
  }
}

}  // namespace

std::variant<SourceValues, SourceError> parse_toml_policy(std::string_view text, std::string_view origin) {
  SourceValues out;
  out.layer = Layer::kLocal;
  out.origin = std::string(origin);
  toml::table document;
  try {
    document = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return SourceError{"read policy", std::string(origin),
                       std::string(e.description()) + " at line " + std::to_string(e.source().begin.line)};
  }
  const toml::node* policy = document.get(kTomlPolicyTable);
  if (!policy) return out;
  const auto* table = policy->as_table();
  if (!table) return SourceError{"read policy", std::string(origin), "[policy] must be a table"};
  for (auto&& [key, value] : *table) out.values[std::string(key.str())] = raw_from_node(value);
  return out;
}

}  // namespace rdpmend::policy
