#pragma once
// Where the policy comes from, per platform (the implementation is picked by CMake):
//   linux/policy_sources.cpp    the [policy] table of the TOML config file (local settings); no Group Policy
//   windows/policy_sources.cpp  HKLM\SOFTWARE\RdpMend (local) and HKLM\SOFTWARE\Policies\RdpMend (Group
//                               Policy), REG_DWORD and REG_SZ values named as in the policy table
// Reads only. A missing file or key is "not configured"; a source that exists but cannot be read is an
// error, and build_policy() then caps Mode at Observe.

#include <string>
#include <vector>

#include "policy.h"

namespace rdpmend::policy {

// Linux: the configuration file whose [policy] table holds the local settings, when no other is given.
inline constexpr const char* kDefaultConfigPath = "/etc/rdpmend/rdpmend.toml";

struct SourceOptions {
  // Linux: the TOML configuration file, read once by the caller under the trust rule (the policy module
  // does no file I/O, so the [policy] table is parsed from the same bytes whose owner was checked).
  std::string config_path;  // empty: no local settings file
  std::string config_text;
  std::string config_error;  // set when the file could not be read or was refused: Mode is capped
  // Windows: the two keys ("HKLM\..." or "HKCU\..."); tests point them at a key of their own.
  std::string local_key = "HKLM\\SOFTWARE\\RdpMend";
  std::string group_policy_key = "HKLM\\SOFTWARE\\Policies\\RdpMend";
};

struct SourcesRead {
  std::vector<SourceValues> sources;  // lowest layer first
  std::vector<SourceError> errors;
};

SourcesRead read_policy_sources(const SourceOptions& options);

// read_policy_sources() then build_policy().
Policy load_policy(const SourceOptions& options);

}  // namespace rdpmend::policy
