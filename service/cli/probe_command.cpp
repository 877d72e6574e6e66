#include "cli/probe_command.h"

#include <charconv>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/exit_codes.h"
#include "probe/probe.h"
#include "probe/probe_json.h"
#include "probe/verdict.h"
#include "util/json_text.h"
#include "util/printable.h"

namespace rdpmend::cli {
namespace {

struct ProbeArgs {
  std::string target;
  std::optional<int> port;
  std::string protocols = "ssl+hybrid";
  bool legacy = false;
  std::string cookie;
  int timeout_ms = 3000;
  int expiring_days = 14;
  std::string ca_file;
  bool json = false;
};

int exit_for(std::string_view verdict) {
  switch (probe::verdict_class(verdict)) {
    case probe::VerdictClass::kUsable:
      return kExitOk;
    case probe::VerdictClass::kServerFault:
      return kExitProblemsFound;
    case probe::VerdictClass::kUnreachable:
      return kExitUnreachable;
    case probe::VerdictClass::kNotRdp:
      return kExitNotRdp;
  }
  return kExitProblemsFound;
}

// The server decides much of this (its certificate's names, its alerts, what it sent instead of a reply),
// and names and resolver and OS messages are outside text too: those go through printable. Outcomes,
// verdicts, hashes and OpenSSL's names are ours.
void print_human(const probe::ProbeReport& r) {
  using util::printable;
  auto& out = std::cout;
  out << "Probe of " << printable(r.options.host) << ":" << r.options.port << "\n";
  out << "  resolve    " << (r.resolve.ok ? "ok" : "failed");
  for (const auto& a : r.resolve.addresses) out << " " << printable(a);
  if (!r.resolve.error.empty()) out << " (" << printable(r.resolve.error) << ")";
  out << "\n";
  for (const auto& a : r.connect.attempts)
    out << "  connect    " << printable(a.address) << " " << a.outcome
        << (a.error.empty() ? "" : " (" + printable(a.error) + ")") << " " << static_cast<int>(a.ms)
        << " ms\n";
  const auto& n = r.negotiate;
  if (n.attempted) {
    out << "  negotiate  requested "
        << (n.legacy_request ? "legacy (no RDP_NEG_REQ)" : probe::protocol_names(n.requested)) << ": "
        << n.outcome;
    if (n.selected) out << ", selected " << probe::protocol_names(*n.selected);
    if (n.failure_code) out << " " << probe::failure_code_name(*n.failure_code);
    if (!n.detail.empty() && !n.failure_code) out << " (" << printable(n.detail) << ")";
    out << "\n";
  }
  if (r.tls.attempted) {
    out << "  tls        " << r.tls.outcome;
    if (r.tls.ok) out << " " << r.tls.version << " " << r.tls.cipher;
    if (!r.tls.detail.empty()) out << " (" << printable(r.tls.detail) << ")";
    out << "\n";
  }
  if (r.certificate) {
    const auto& c = *r.certificate;
    out << "  cert       " << printable(c.subject)
        << (c.self_signed ? " (self-signed)" : ", issuer " + printable(c.issuer)) << "\n";
    out << "             valid " << probe::certificate_to_json(c)["not_before"].get<std::string>() << " .. "
        << probe::certificate_to_json(c)["not_after"].get<std::string>() << " (" << c.days_left
        << " days left)\n";
    out << "             " << c.key_type << " " << c.key_bits << " bits, SHA-1 " << c.sha1 << "\n";
  }
  out << "\nVerdict: " << r.verdict << "\n";
  for (const auto& c : r.causes) out << "  - " << printable(c) << "\n";
  for (const auto& s : r.next_steps) out << "  next: " << printable(s) << "\n";
}

}  // namespace

std::optional<HostPort> parse_host_port(const std::string& text) {
  if (text.empty() || text.size() > 255) return std::nullopt;
  HostPort hp;
  std::string port_text;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) return std::nullopt;
    hp.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return std::nullopt;
      port_text = text.substr(close + 2);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    auto colon = text.find(':');
    hp.host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  } else {
    hp.host = text;  // a name, an IPv4 address, or a bare IPv6 address
  }
  if (hp.host.empty()) return std::nullopt;
  for (char c : hp.host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_' ||
          c == '%'))
      return std::nullopt;
  if (!port_text.empty() || (text.front() != '[' && text.find(':') != std::string::npos &&
                             std::count(text.begin(), text.end(), ':') == 1)) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
      return std::nullopt;
    hp.port = static_cast<std::uint16_t>(value);
  }
  return hp;
}

void register_probe_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ProbeArgs>();
  auto* cmd =
      app.add_subcommand("probe", "Check an RDP listener: TCP, X.224 negotiation, TLS and its certificate");
  cmd->add_option("target", args->target, "HOST[:PORT] (IPv6 as [ADDR]:PORT); the port defaults to 3389")
      ->required();
  cmd->add_option("--port", args->port, "Port (overrides the one in HOST:PORT)")->check(CLI::Range(1, 65535));
  cmd->add_option("--protocols", args->protocols,
                  "Requested protocols: rdp, ssl, hybrid, hybrid_ex, rdstls joined by '+', or a number "
                  "(default ssl+hybrid)");
  cmd->add_flag("--legacy", args->legacy,
                "Send a Connection Request without RDP_NEG_REQ (pre-RDP 5.2 client)");
  cmd->add_option("--cookie", args->cookie, "mstshash routing cookie (user name) to send");
  cmd->add_option("--timeout", args->timeout_ms, "Deadline per step in milliseconds (default 3000)")
      ->check(CLI::Range(50, 120000));
  cmd->add_option("--expiring-days", args->expiring_days,
                  "Warn when the certificate expires within this many days")
      ->check(CLI::Range(0, 3650));
  cmd->add_option("--ca-file", args->ca_file, "Verify the certificate chain against the CAs in this PEM file")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->footer(std::string(kExitCodeHelp) +
              "\nprobe: 0 usable (ok, nla-required), 1 the server answers but is faulty (TLS, certificate,\n"
              "negotiation), 6 not reachable (name, refused, filtered, no reply), 7 not an RDP server.");
  cmd->callback([args, &exit_code] {
    auto hp = parse_host_port(args->target);
    if (!hp) throw CLI::ValidationError("target", "'" + args->target + "' is not HOST[:PORT]");
    if (args->cookie.size() > 64 || args->cookie.find_first_of("\r\n") != std::string::npos)
      throw CLI::ValidationError("--cookie", "at most 64 characters, no line breaks");
    auto protocols = probe::parse_protocols(args->protocols);
    if (!protocols)
      throw CLI::ValidationError("--protocols", "'" + args->protocols + "' is not a protocol list");
    probe::ProbeOptions options;
    options.host = hp->host;
    options.port = args->port ? static_cast<std::uint16_t>(*args->port) : hp->port.value_or(3389);
    options.requested_protocols = *protocols;
    options.legacy = args->legacy;
    options.cookie = args->cookie;
    options.connect_timeout = options.read_timeout = std::chrono::milliseconds(args->timeout_ms);
    options.tls_timeout = std::chrono::milliseconds(args->timeout_ms) * 2;
    options.expiring_within_days = args->expiring_days;
    options.ca_file = args->ca_file;
    auto report = probe::run_probe(options);
    if (args->json)
      std::cout << util::json_text(probe::probe_to_json(report), 2) << "\n";
    else
      print_human(report);
    exit_code = exit_for(report.verdict);
  });
}

}  // namespace rdpmend::cli
