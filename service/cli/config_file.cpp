#include "cli/config_file.h"

#include <filesystem>

#include <toml++/toml.h>

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

std::string resolve_config_path(const std::string& requested) {
  if (!requested.empty()) return requested;
  std::error_code ec;
  return std::filesystem::exists(kDefaultConfigPath, ec) ? std::string(kDefaultConfigPath) : std::string();
}

Result<ConfigFile> load_config_file(const std::string& requested) {
  ConfigFile config;
  std::string path = requested;
  std::error_code ec;
  if (path.empty()) {
    if (!std::filesystem::exists(kDefaultConfigPath, ec)) return config;
    path = kDefaultConfigPath;
  }
  if (!std::filesystem::is_regular_file(path, ec))
    return Error{"read configuration", path, "not a readable file"};
  if (auto owned = check_config_ownership(path); !owned) return owned.error();
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{"read configuration", path,
                 std::string(e.description()) + " at line " + std::to_string(e.source().begin.line)};
  }
  config.path = path;
  if (auto* xrdp = table["xrdp"].as_table()) {
    for (auto&& [key, value] : *xrdp) {
      std::string k(key.str());
      if (k == "restart") {
        auto argv = read_argv(value, path);
        if (!argv) return argv.error();
        config.xrdp.restart = std::move(argv).value();
        continue;
      }
      auto* text = value.as_string();
      if (!text) return Error{"read configuration", path, "[xrdp] " + k + " must be a string"};
      if (k == "ini")
        config.xrdp.ini = text->get();
      else if (k == "log")
        config.xrdp.log = text->get();
      else if (k == "user")
        config.xrdp.user = text->get();
      else
        return Error{"read configuration", path, "[xrdp] has no setting '" + k + "'"};
    }
  }
  return config;
}

}  // namespace rdpmend::cli
