#include "cli/config_file.h"

#include <filesystem>

#include <toml++/toml.h>

#include "security/trusted_file.h"

namespace rdpmend::cli {
namespace {

// A command run as root: no shell, and no PATH lookup that a changed environment could redirect.
Result<std::vector<std::string>> read_argv(const toml::node& node, const std::string& path) {
  const std::string where = "[xrdp] restart";
  auto* array = node.as_array();
  if (!array || array->empty())
    return Error{"read configuration", path, where + " must be a non-empty list of strings"};
  std::vector<std::string> argv;
  for (const auto& item : *array) {
    auto* text = item.as_string();
    if (!text) return Error{"read configuration", path, where + " must be a list of strings"};
    if (text->get().find('\0') != std::string::npos)
      return Error{"read configuration", path, where + " has a NUL character"};
    argv.push_back(text->get());
  }
  if (!argv.front().starts_with("/"))
    return Error{"read configuration", path,
                 where + ": the program must be an absolute path (e.g. /usr/bin/systemctl), not '" +
                     argv.front() + "'"};
  return argv;
}

}  // namespace

Result<ConfigFile> parse_config_text(const std::string& text, const std::string& path) {
  // TOML allows no control character but tab and line ends; refusing them here also keeps them away from
  // the parser (the config_fuzz target found toml++ 3.3 asserting on a NUL inside a string).
  int line = 1;
  for (unsigned char c : text) {
    if (c == '\n') ++line;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
      return Error{"read configuration", path, "a control character at line " + std::to_string(line)};
  }
  ConfigFile config;
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Error{"read configuration", path,
                 std::string(e.description()) + " at line " + std::to_string(e.source().begin.line)};
  }
  config.path = path;
  config.text = text;
  if (auto* xrdp = table["xrdp"].as_table()) {
    for (auto&& [key, value] : *xrdp) {
      std::string k(key.str());
      if (k == "restart") {
        auto argv = read_argv(value, path);
        if (!argv) return argv.error();
        config.xrdp.restart = std::move(argv).value();
        continue;
      }
      auto* text_value = value.as_string();
      if (!text_value) return Error{"read configuration", path, "[xrdp] " + k + " must be a string"};
      if (k == "ini")
        config.xrdp.ini = text_value->get();
      else if (k == "log")
        config.xrdp.log = text_value->get();
      else if (k == "user")
        config.xrdp.user = text_value->get();
      else
        return Error{"read configuration", path, "[xrdp] has no setting '" + k + "'"};
    }
  }
  return config;
}

Result<ConfigFile> load_config_file(const std::string& requested) {
  std::string path = requested.empty() ? std::string(kDefaultConfigPath) : requested;
  if (!path.starts_with("/")) {
    std::error_code ec;
    path = std::filesystem::absolute(path, ec).string();
  }
  auto text = security::read_trusted_file(path);
  if (!text) {
    // Only the default location is optional: a file named on the command line must be there.
    // (On Windows the Linux default is no path at all: the settings come from the registry.)
    if (requested.empty() && (text.error().reason == security::Refusal::kNotFound ||
                              text.error().reason == security::Refusal::kNotAbsolute))
      return ConfigFile{};
    return text.error().to_error("read configuration");
  }
  return parse_config_text(text.value(), path);
}

policy::SourceOptions policy_sources_for(const ConfigFile& config) {
  policy::SourceOptions sources;
  sources.config_path = config.path;
  sources.config_text = config.text;
  return sources;
}

}  // namespace rdpmend::cli
