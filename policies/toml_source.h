#pragma once
// The [policy] table of the TOML config file as a policy source: keys are the policy table's names, values
// TOML booleans, integers and strings. Converts only; validation is build_policy()'s.

#include <string_view>
#include <variant>

#include "policy.h"

namespace rdpmend::policy {

// The table of the configuration file that holds the policy values.
inline constexpr std::string_view kTomlPolicyTable = "policy";

// Parses `text` as TOML: the values of its [policy] table (none when it has no such table), or a
// SourceError naming `origin` (the file path) and the line of the syntax error.
std::variant<SourceValues, SourceError> parse_toml_policy(std::string_view text, std::string_view origin);

}  // namespace rdpmend::policy
