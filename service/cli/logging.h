#pragma once
// spdlog for the command line, set up once: human messages on stderr, stdout stays for results.
// Logging never throws into the caller: spdlog's own errors are swallowed.

#include <spdlog/spdlog.h>

namespace rdpmend::cli {

void setup_cli_logging(spdlog::level::level_enum level);

}  // namespace rdpmend::cli
