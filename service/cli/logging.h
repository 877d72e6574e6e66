#pragma once
// spdlog for the command line, set up once: human messages on stderr, stdout stays for results.
// Logging never throws into the caller: spdlog's own errors are swallowed.

#include <string>

#include <spdlog/spdlog.h>

#include "common/result.h"

namespace rdpmend::cli {

void setup_cli_logging(spdlog::level::level_enum level);

// The agent's log: stderr (journald under systemd) with times, and a rotating file `rdpmend.log` in `folder`
// (5 files of 10 MiB). A folder that cannot be used is an error; stderr logging goes on.
Status add_agent_log_file(const std::string& folder);

}  // namespace rdpmend::cli
