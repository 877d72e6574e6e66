#pragma once
// `rdpmend policy show`: the effective policy, each setting's value and where it came from (built-in
// default, the local settings file or registry key, Group Policy), and the values that were ignored.
// `rdpmend policy template --out DIR`: the Group Policy template of the policy table, DIR/RdpMend.admx and
// DIR/en-US/RdpMend.adml.

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

struct PolicyTemplateOptions {
  std::string out;  // the folder that receives RdpMend.admx and en-US/RdpMend.adml (created if missing)
};

// Writes the two files and names them on `out`; returns the exit status (0; 3 a folder or file could not
// be written, 4 the OS denied it; 70 the generated template fails its own cross-reference check).
int run_policy_template(const PolicyTemplateOptions& options, std::ostream& out);

void register_policy_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
