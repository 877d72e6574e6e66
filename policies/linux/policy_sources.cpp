// Linux: the local settings are the [policy] table of the TOML config file; there is no Group Policy.
#include "policy_sources.h"

#include <fstream>
#include <iterator>

#include "file_ownership.h"
#include "toml_source.h"

namespace rdpmend::policy {

SourcesRead read_policy_sources(const SourceOptions& options) {
  SourcesRead read;
  if (options.config_path.empty()) return read;
  const std::string& path = options.config_path;
  if (auto refused = refuse_untrusted_file(path)) {
    read.errors.push_back({"read policy", path, *refused});
    return read;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in || in.bad()) {
    read.errors.push_back({"read policy", path, "cannot read the file"});
    return read;
  }
  auto parsed = parse_toml_policy(text, path);
  if (auto* error = std::get_if<SourceError>(&parsed))
    read.errors.push_back(std::move(*error));
  else
    read.sources.push_back(std::move(std::get<SourceValues>(parsed)));
  return read;
}

}  // namespace rdpmend::policy
