#pragma once
// The Linux configuration file (/etc/rdpmend/rdpmend.toml or --config FILE): where xrdp's files are.
// The policy values join it with the remediation engine. It steers what a root process inspects and
// changes, so it is read once, under the trust rule (security/trusted_file.h: every component root's or
// this account's, nothing writable by others, a regular file, at most 1 MiB), and both its [xrdp] and
// [policy] tables are parsed from those same bytes.

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
  std::string text;  // the bytes read (the [policy] table is parsed from them)
};

// `path` empty: the default path if it exists, else defaults.
Result<ConfigFile> load_config_file(const std::string& path);

// The [xrdp] table of a configuration's text (`path` names it in errors). No I/O: the fuzz target's entry.
Result<ConfigFile> parse_config_text(const std::string& text, const std::string& path);

// The policy's local source: the [policy] table of the same bytes.
policy::SourceOptions policy_sources_for(const ConfigFile& config);

}  // namespace rdpmend::cli
