#pragma once
// The Linux configuration file (/etc/rdpmend/rdpmend.toml or --config FILE): where xrdp's files are.
// The policy values join it with the remediation engine. Running as root, a file that anyone but root
// could change is refused: it steers what a root process inspects.

#include <string>
#include <vector>

#include "common/result.h"
#include "policy_sources.h"

namespace rdpmend::cli {

inline constexpr const char* kDefaultConfigPath = policy::kDefaultConfigPath;

struct XrdpConfig {
  std::string ini = "/etc/xrdp/xrdp.ini";
  std::string log = "/var/log/xrdp.log";
  std::string user = "xrdp";
  // How to (re)start xrdp: an argv list run without a shell, the program an absolute path,
  // e.g. ["/usr/bin/systemctl", "restart", "xrdp"]. Empty: start/restart are not available.
  std::vector<std::string> restart;
};

struct ConfigFile {
  XrdpConfig xrdp;
  std::string path;  // empty: built-in defaults (no file)
};

// Refuses a file that someone other than root could change, when running as root (linux/); Windows
// reads its settings from the registry, where Group Policy's ACLs apply (windows/).
Result<Ok> check_config_ownership(const std::string& path);

// The file a command reads: `requested`, else the default path if it exists, else none ("").
std::string resolve_config_path(const std::string& requested);

// `path` empty: the default path if it exists, else defaults.
Result<ConfigFile> load_config_file(const std::string& path);

}  // namespace rdpmend::cli
