#pragma once
// `rdpmend probe HOST[:PORT]`: where a connection to an RDP listener dies, and why.

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

struct HostPort {
  std::string host;
  std::optional<std::uint16_t> port;
};

// "host", "host:3390", "10.0.0.1:3389", "[::1]:3389", "::1" -> host and optional port.
std::optional<HostPort> parse_host_port(const std::string& text);

void register_probe_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
