#include "cli/config_file.h"

#include <filesystem>

#include <toml++/toml.h>

namespace rdpmend::cli {

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
      auto* text = value.as_string();
      if (!text) return Error{"read configuration", path, "[xrdp] " + k + " must be a string"};
      if (k == "ini")
        config.xrdp.ini = text->get();
      else if (k == "log")
        config.xrdp.log = text->get();
      else if (k == "user")
        config.xrdp.user = text->get();
      else if (k != "restart")
        return Error{"read configuration", path, "[xrdp] has no setting '" + k + "'"};
    }
  }
  return config;
}

}  // namespace rdpmend::cli
