#pragma once
// spdlog for the command line, set up once: human messages on stderr, stdout stays for results.
// Logging never throws into the caller: spdlog's own errors are swallowed. Messages quote outside text (event
// messages, paths, a server's alert), so every logger made here shows it through util::printable.

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "common/result.h"

namespace rdpmend::cli {

void setup_cli_logging(spdlog::level::level_enum level);

// The logger name of the agent's event lines (agent_runner.cpp). The Windows Event Log gets those events
// typed (service/windows/event_ids.h), so its sink for the process's other problems skips this logger.
inline constexpr std::string_view kAgentEventLogger = "rdpmend-agent";

// A logger whose every message reaches every sink (the ones given and any added later: the agent's file, the
// Windows Event Log) with control characters and bytes that are not UTF-8 escaped, so a quoted escape
// sequence cannot act on a terminal and a quoted line break cannot forge a log line. Our own patterns are
// untouched.
std::shared_ptr<spdlog::logger> make_printable_logger(std::string name, spdlog::sink_ptr sink);

// The agent's log: stderr (journald under systemd) with times, and a rotating file `rdpmend.log` in `folder`
// (5 files of 10 MiB). A folder that cannot be used is an error; stderr logging goes on.
Status add_agent_log_file(const std::string& folder);

}  // namespace rdpmend::cli
