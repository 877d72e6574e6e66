#pragma once
// Runs a program (no shell) and collects its output, bounded in size and time. For read-only queries
// such as `nft -j list ruleset`.

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace rdpmend::inspect::linux_host {

struct CommandOutput {
  int exit_status = 0;
  std::string out;
  std::string err;
};

Result<CommandOutput> run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                  std::size_t max_output = 8 * 1024 * 1024);

}  // namespace rdpmend::inspect::linux_host
