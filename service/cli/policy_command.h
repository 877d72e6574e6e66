#pragma once
// `rdpmend policy show`: the effective policy, each setting's value and where it came from (built-in
// default, the local settings file or registry key, Group Policy), and the values that were ignored.

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

struct PolicyShowOptions {
  std::string config;  // Linux: the TOML file; empty: /etc/rdpmend/rdpmend.toml if it exists
  bool json = false;
};

// Writes the report to `out`; returns the exit status (0, or 3 when a policy source cannot be read).
int run_policy_show(const PolicyShowOptions& options, std::ostream& out);

void register_policy_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
