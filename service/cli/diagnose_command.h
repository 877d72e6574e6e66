#pragma once
// `rdpmend diagnose`: inspect this host (or a snapshot), correlate with recent events, print findings
// with evidence and the actions that would fix them. `rdpmend collect`: write this host's snapshot.

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

void register_diagnose_command(CLI::App& app, int& exit_code);
void register_collect_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
