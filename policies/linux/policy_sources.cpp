// Linux: the local settings are the [policy] table of the TOML config file; there is no Group Policy.
#include "policy_sources.h"

#include "toml_source.h"

namespace rdpmend::policy {

SourcesRead read_policy_sources(const SourceOptions& options) {
  SourcesRead read;
  if (options.config_path.empty()) return read;
  if (!options.config_error.empty()) {
    read.errors.push_back({"read policy", options.config_path, options.config_error});
    return read;
  }
  auto parsed = parse_toml_policy(options.config_text, options.config_path);
  if (auto* error = std::get_if<SourceError>(&parsed))
    read.errors.push_back(std::move(*error));
  else
    read.sources.push_back(std::move(std::get<SourceValues>(parsed)));
  return read;
}

}  // namespace rdpmend::policy
