#pragma once
// `rdpmend fix --dry-run | --apply [--only ACTION...]`: one remediation pass under the policy.
// `rdpmend approve PLAN_ID`: run what a plan proposed in Mode Approve.

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

void register_fix_command(CLI::App& app, int& exit_code);
void register_approve_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
