#include "cli/diagnose_command.h"

#include <fstream>
#include <iomanip>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/config_file.h"
#include "cli/exit_codes.h"
#include "diagnosis/diagnosis.h"
#include "events/detection.h"
#include "events/event_log_reader.h"
#include "events/event_xml.h"
#include "events/xrdp_log.h"
#include "inspect/host_state_json.h"
#include "inspect/sim/sim_host.h"
#include "util/duration.h"
#include "util/json_text.h"
#include "util/printable.h"

namespace rdpmend::cli {
namespace {

// Windows channels whose recent events feed the diagnosis.
const char* const kWindowsChannels[] = {
    "System",
    "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational",
    "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational",
};

struct DiagnoseArgs {
  std::string host = "local";
  std::string config;
  std::vector<std::string> events;
  std::string since = "24h";
  int expiring_days = 14;
  bool no_probe = false;
  bool no_events = false;
  bool json = false;
  std::string output;  // collect
};

struct Inspected {
  inspect::HostState state;
  std::string source;
  ConfigFile config;
};

Result<Inspected> inspect(const DiagnoseArgs& args) {
  auto config = load_config_file(args.config);
  if (!config) return config.error();
  std::unique_ptr<inspect::Host> host;
  std::string source = args.host;
  if (args.host.starts_with("sim:")) {
    auto sim = inspect::make_sim_host(args.host.substr(4));
    if (!sim) return sim.error();
    host = std::move(sim).value();
  } else if (args.host == "local") {
    inspect::LocalHostConfig local;
    local.xrdp_ini = config.value().xrdp.ini;
    local.xrdp_user = config.value().xrdp.user;
    local.restart_command = config.value().xrdp.restart;
    auto made = inspect::make_local_host(local);
    if (!made) return made.error();
    host = std::move(made).value();
  } else {
    return Error{"choose host", args.host, "use --host local or --host sim:FILE"};
  }
  if (args.no_probe) host->probe_listener = nullptr;
  auto state = inspect::inspect_host(*host, std::chrono::system_clock::now(), args.expiring_days);
  return Inspected{std::move(state), source, std::move(config).value()};
}

// The state's values come from the host or a snapshot file: each goes through printable. Rule and action ids
// and summaries are the compiled-in catalog's.
void print_human(const Inspected& in, const diagnosis::Diagnosis& d,
                 const diagnosis::DiagnosisCatalog& catalog) {
  using util::printable;
  auto& out = std::cout;
  out << "Host " << (in.state.hostname.empty() ? "?" : printable(in.state.hostname)) << " ("
      << printable(in.state.platform) << ", " << printable(in.source) << ")\n";
  if (in.state.self_probe)
    out << "Self-probe of " << printable(in.state.self_probe->target) << ": "
        << printable(in.state.self_probe->verdict) << "\n";
  // What the session guard decides a restart on (plan/planner.cpp): unknown holds a restart back.
  if (in.state.sessions)
    out << "Sessions: " << in.state.sessions->active << " active, " << in.state.sessions->disconnected
        << " disconnected\n";
  else
    out << "Sessions: unknown\n";
  out << "\nFindings";
  if (d.findings.empty()) out << ": none";
  out << "\n";
  for (const auto& f : d.findings) {
    out << "  " << std::left << std::setw(9) << events::severity_name(f.rule->severity) << f.rule->id << "\n";
    out << "           " << f.rule->summary << "\n";
    for (const auto& [pointer, value] : f.state)
      out << "           " << pointer << " = " << printable(util::json_text(value)) << "\n";
    for (const auto& s : f.symptoms)
      out << "           event: " << s.definition->id << " x" << s.count << "\n";
    if (!f.rule->actions.empty()) {
      out << "           fix:";
      for (const auto& a : f.rule->actions) out << " " << a;
      out << "\n";
    }
    for (const auto& command : f.by_hand) out << "           by hand: " << printable(command) << "\n";
  }
  if (!d.actions.empty()) {
    out << "\nActions that would fix this host, in order\n";
    int n = 1;
    for (const auto& id : d.actions) {
      const auto* a = catalog.action(id);
      out << "  " << n++ << ". " << id << (a ? ": " + a->summary : "") << "\n";
    }
  }
  if (!d.unconfirmed.empty()) {
    out << "\nEvents that no host state confirms (hints only, nothing to fix):";
    for (const auto& s : d.unconfirmed) out << " " << s.definition->id << " x" << s.count;
    out << "\n";
  }
  if (!in.state.errors.empty()) {
    out << "\nNot inspected\n";
    for (const auto& e : in.state.errors) out << "  " << printable(e) << "\n";
  }
}

}  // namespace

void register_diagnose_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DiagnoseArgs>();
  auto* cmd = app.add_subcommand("diagnose",
                                 "Inspect this host (or a snapshot), correlate with recent events, and "
                                 "list findings with the actions that would fix them");
  cmd->add_option("--host", args->host,
                  "local (default) or sim:FILE (a snapshot written by rdpmend collect)");
  cmd->add_option("--config", args->config, "Configuration file (Linux: [xrdp] ini, log, user)");
  cmd->add_option("--events", args->events,
                  "Exported event XML to correlate, instead of this host's own logs");
  cmd->add_option("--since", args->since, "How far back this host's own logs are read (default 24h)");
  cmd->add_option("--expiring-days", args->expiring_days,
                  "A certificate expiring within this many days is a finding")
      ->check(CLI::Range(0, 3650));
  cmd->add_flag("--no-probe", args->no_probe, "Do not probe the local listener");
  cmd->add_flag("--no-events", args->no_events, "Do not read this host's logs");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  cmd->footer(std::string(kExitCodeHelp) +
              "\ndiagnose: 0 no findings, 1 findings, 3 the host or a snapshot could not be read.");
  cmd->callback([args, &exit_code] {
    auto since = util::parse_duration(args->since);
    if (!since)
      throw CLI::ValidationError("--since", "'" + args->since + "' is not a duration like 30m, 24h or 7d");
    auto inspected = inspect(*args);
    if (!inspected) {
      spdlog::error("{}", inspected.error().message());
      exit_code = kExitInputError;
      return;
    }
    auto& in = inspected.value();

    // Recent events: only hints for the findings the state confirms.
    events::Detector detector(events::default_catalog());
    std::vector<events::ReadError> event_errors;
    auto on_event = [&](events::Event&& e) { detector.add(e); };
    auto on_error = [&](events::ReadError&& e) { event_errors.push_back(std::move(e)); };
    for (const auto& file : args->events) events::read_event_xml_file(file, on_event, on_error);
    bool local = args->host == "local";
    if (local && args->events.empty() && !args->no_events) {
      if (in.state.platform == "xrdp") {
        auto cutoff = std::chrono::system_clock::now() - *since;
        events::read_xrdp_log_file(
            in.config.xrdp.log,
            [&](events::Event&& e) {
              if (e.time_created && e.time_created->time_since_epoch() >= cutoff.time_since_epoch())
                detector.add(e);
            },
            on_error);
      } else {
        auto reader = events::make_event_log_reader();
        for (const char* channel : kWindowsChannels)
          reader->read_channel(channel, *since, on_event, on_error);
      }
    }
    auto symptoms = detector.symptoms();
    const auto& catalog = diagnosis::default_diagnosis_catalog();
    auto result = diagnosis::diagnose(in.state, symptoms, catalog);

    if (args->json) {
      nlohmann::ordered_json j;
      j["host"] = {{"platform", in.state.platform}, {"hostname", in.state.hostname}, {"source", in.source}};
      auto d = diagnosis::diagnosis_to_json(result, catalog);
      j["findings"] = d["findings"];
      j["actions"] = d["actions"];
      auto state = inspect::host_state_to_json(in.state);
      j["probe"] = state["self_probe"];
      j["sessions"] = state["sessions"];
      j["unconfirmed_symptoms"] = d["unconfirmed_symptoms"];
      j["state"] = std::move(state);
      auto errors = nlohmann::ordered_json::array();
      for (const auto& e : in.state.errors) errors.push_back(e);
      for (const auto& e : event_errors) errors.push_back(e.text());
      j["errors"] = errors;
      std::cout << util::json_text(j, 2) << "\n";
    } else {
      print_human(in, result, catalog);
      for (const auto& e : event_errors) spdlog::warn("{}", e.text());
    }
    exit_code = result.findings.empty() ? kExitOk : kExitProblemsFound;
  });
}

void register_collect_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DiagnoseArgs>();
  auto* cmd =
      app.add_subcommand("collect", "Write this host's state as a snapshot for `diagnose --host sim:FILE`");
  cmd->add_option("--config", args->config, "Configuration file (Linux: [xrdp] ini, log, user)");
  cmd->add_option("-o,--output", args->output, "Write the snapshot here instead of stdout");
  cmd->add_flag("--no-probe", args->no_probe, "Do not probe the local listener");
  cmd->callback([args, &exit_code] {
    auto inspected = inspect(*args);
    if (!inspected) {
      spdlog::error("{}", inspected.error().message());
      exit_code = kExitInputError;
      return;
    }
    std::string text = util::json_text(inspect::host_state_to_json(inspected.value().state), 2) + "\n";
    if (args->output.empty()) {
      std::cout << text;
    } else {
      std::ofstream out(args->output, std::ios::binary | std::ios::trunc);
      if (!(out << text)) {
        spdlog::error("cannot write {}", args->output);
        exit_code = kExitInputError;
        return;
      }
    }
    exit_code = kExitOk;
  });
}

}  // namespace rdpmend::cli
