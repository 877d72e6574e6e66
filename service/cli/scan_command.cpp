#include "cli/scan_command.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "cli/exit_codes.h"
#include "events/catalog.h"
#include "events/detection.h"
#include "events/event_json.h"
#include "events/event_log_reader.h"
#include "events/event_time.h"
#include "events/event_xml.h"
#include "events/xrdp_log.h"
#include "evtx/evtx_file.h"
#include "util/duration.h"
#include "util/json_text.h"
#include "util/printable.h"

namespace rdpmend::cli {
namespace {

using events::ReadError;
using events::ReadErrorKind;
using events::ReadStats;
using util::printable;

struct InputSummary {
  std::string source;
  std::string kind;
  ReadStats stats;
};

std::string time_text(const std::optional<events::TimePoint>& t) {
  if (!t) return "-";
  std::string s = events::format_event_time(*t);
  return s.substr(0, 19) + "Z";  // seconds are enough on a terminal
}

// At most `max_bytes` of `text`, never cutting a UTF-8 sequence in two (the cut would show as \xNN).
std::string_view shorten(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Raw: the caller shortens, then escapes, so an escape is never cut in two either.
std::string details_text(const events::Evidence& e) {
  std::string out;
  for (const auto& [label, value] : e.details) {
    if (!out.empty()) out += "; ";
    out += label + ": " + value;
  }
  return out;
}

std::string short_channel(const std::string& channel) {
  // "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational" -> "RdpCoreTS/Operational"
  auto slash = channel.find('/');
  auto dash = channel.rfind('-', slash);
  if (slash != std::string::npos && dash != std::string::npos) return channel.substr(dash + 1);
  return channel;
}

void print_human(std::ostream& out, const events::Detector& detector, const std::vector<InputSummary>& inputs,
                 const std::vector<ReadError>& errors, std::size_t timeline_lines) {
  std::uint64_t read = 0;
  for (const auto& i : inputs) read += i.stats.events;
  out << "Read " << read << " events from " << inputs.size() << " input" << (inputs.size() == 1 ? "" : "s")
      << "; " << detector.events_matched() << " RDP-relevant";
  if (detector.duplicates()) out << ", " << detector.duplicates() << " duplicate records ignored";
  out << "; " << errors.size() << " error" << (errors.size() == 1 ? "" : "s") << ".\n";

  auto symptoms = detector.symptoms();
  out << "\nSymptoms";
  if (symptoms.empty()) out << ": none";
  out << "\n";
  for (const auto& s : symptoms) {
    // Ids and summaries too: --catalog may bring them from any file.
    out << "  " << std::left << std::setw(8) << events::severity_name(s.definition->severity) << " "
        << std::setw(30) << printable(s.definition->id) << " x" << s.count << "  " << time_text(s.first_seen)
        << " .. " << time_text(s.last_seen) << "\n";
    out << "           " << printable(s.definition->summary) << "\n";
    if (!s.evidence.empty()) {
      const auto& e = s.evidence.back();
      out << "           latest: " << printable(short_channel(e.channel)) << " " << printable(e.provider)
          << " " << e.event_id;
      if (e.record_id) out << " record " << e.record_id;
      out << " (" << printable(e.source) << (e.source_line ? ":" + std::to_string(e.source_line) : "") << ")";
      if (auto d = details_text(e); !d.empty()) out << "\n           " << printable(d);
      out << "\n";
    }
  }

  auto timeline = detector.timeline();
  if (!timeline.empty()) {
    std::size_t shown = std::min(timeline.size(), timeline_lines);
    out << "\nTimeline (" << (shown < timeline.size() ? "latest " + std::to_string(shown) + " of " : "")
        << timeline.size() << ")\n";
    for (std::size_t i = timeline.size() - shown; i < timeline.size(); ++i) {
      const auto& t = timeline[i];
      out << "  " << time_text(t.evidence.time) << "  " << std::left << std::setw(24)
          << printable(shorten(short_channel(t.evidence.channel), 24)) << " " << std::right << std::setw(5)
          << t.evidence.event_id << "  " << (t.is_symptom ? "! " : "  ") << printable(t.id);
      if (auto d = details_text(t.evidence); !d.empty()) out << "  (" << printable(shorten(d, 120)) << ")";
      out << "\n";
    }
  }
  if (!errors.empty()) {
    out << "\nErrors\n";
    for (const auto& e : errors) out << "  " << printable(e.text()) << "\n";
  }
}

}  // namespace

int run_scan(const ScanOptions& options, std::ostream& out) {
  std::optional<std::chrono::seconds> since;
  if (!options.since.empty()) {
    since = util::parse_duration(options.since);
    if (!since) {
      spdlog::error("--since '{}' is not a duration like 30m, 24h or 7d", options.since);
      return kExitUsage;
    }
  }
  const events::Catalog* catalog = &events::default_catalog();
  std::unique_ptr<events::Catalog> custom;
  if (!options.catalog_file.empty()) {
    auto loaded = events::load_catalog_file(options.catalog_file);
    if (!loaded) {
      spdlog::error("{}", loaded.error().message());
      return kExitInputError;
    }
    custom = std::make_unique<events::Catalog>(std::move(loaded).value());
    catalog = custom.get();
  }

  if (options.evtx_api && !events::make_event_log_reader()->available()) {
    spdlog::error(
        "--evtx-api needs the Windows event log API (EvtQuery), which this platform does not have; "
        "leave it out to read .evtx files with the built-in reader");
    return kExitUnsupported;
  }

  events::Detector detector(*catalog);
  std::vector<ReadError> errors;
  std::vector<InputSummary> inputs;
  constexpr std::size_t kMaxListedErrors = 1000;
  std::uint64_t errors_dropped = 0;
  auto on_event = [&](events::Event&& e) { detector.add(e); };
  auto on_error = [&](ReadError&& e) {
    spdlog::debug("{}", e.text());
    if (errors.size() < kMaxListedErrors)
      errors.push_back(std::move(e));
    else
      ++errors_dropped;
  };

  for (const auto& file : options.xml_files)
    inputs.push_back({file, "xml", events::read_event_xml_file(file, on_event, on_error)});
  for (const auto& file : options.xrdp_logs)
    inputs.push_back({file, "xrdp-log", events::read_xrdp_log_file(file, on_event, on_error)});
  // .evtx files: the built-in reader on every OS; --evtx-api hands them to the Windows event log API.
  events::EvtxReadOptions evtx_options;
  if (since)
    evtx_options.since =
        std::chrono::time_point_cast<events::Ticks>(std::chrono::system_clock::now()) - *since;
  if (!options.evtx_api) {
    for (const auto& file : options.evtx_files)
      inputs.push_back({file, "evtx", events::read_evtx_file(file, on_event, on_error, evtx_options)});
  }
  if ((options.evtx_api && !options.evtx_files.empty()) || !options.channels.empty()) {
    auto reader = events::make_event_log_reader();
    if (options.evtx_api)
      for (const auto& file : options.evtx_files)
        inputs.push_back({file, "evtx", reader->read_evtx_file(file, since, on_event, on_error)});
    for (const auto& channel : options.channels)
      inputs.push_back({channel, "channel", reader->read_channel(channel, since, on_event, on_error)});
  }

  std::uint64_t events_read = 0;
  for (const auto& i : inputs) events_read += i.stats.events;
  if (options.json) {
    nlohmann::ordered_json j;
    j["events_read"] = events_read;
    j["events_matched"] = detector.events_matched();
    j["duplicates"] = detector.duplicates();
    auto symptoms = nlohmann::ordered_json::array();
    for (const auto& s : detector.symptoms()) symptoms.push_back(events::symptom_to_json(s));
    j["symptoms"] = std::move(symptoms);
    auto timeline = nlohmann::ordered_json::array();
    for (const auto& t : detector.timeline()) timeline.push_back(events::timeline_entry_to_json(t));
    j["timeline"] = std::move(timeline);
    j["timeline_dropped"] = detector.timeline_dropped();
    auto input_list = nlohmann::ordered_json::array();
    for (const auto& i : inputs)
      input_list.push_back(
          {{"source", i.source}, {"kind", i.kind}, {"events", i.stats.events}, {"errors", i.stats.errors}});
    j["inputs"] = std::move(input_list);
    auto error_list = nlohmann::ordered_json::array();
    for (const auto& e : errors) error_list.push_back(events::read_error_to_json(e));
    j["errors"] = std::move(error_list);
    j["errors_not_listed"] = errors_dropped;
    out << util::json_text(j, 2) << "\n";
  } else {
    print_human(out, detector, inputs, errors, options.timeline_lines);
  }

  bool problems = false;
  for (const auto& s : detector.symptoms())
    if (s.definition->severity >= events::Severity::kWarning) problems = true;
  if (problems) return kExitProblemsFound;
  bool denied = std::any_of(errors.begin(), errors.end(),
                            [](const ReadError& e) { return e.kind == ReadErrorKind::kAccessDenied; });
  bool unsupported = std::any_of(errors.begin(), errors.end(),
                                 [](const ReadError& e) { return e.kind == ReadErrorKind::kUnsupported; });
  if (denied) return kExitNotPermitted;
  if (unsupported && events_read == 0) return kExitUnsupported;
  if (!errors.empty()) return kExitInputError;
  return kExitOk;
}

void register_scan_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ScanOptions>();
  auto* cmd = app.add_subcommand(
      "scan", "Read exported or live events and report RDP failures (symptoms) and a timeline");
  cmd->add_option("--xml", options->xml_files,
                  "Exported event XML (wevtutil qe /f:xml, Event Viewer 'Save as XML')");
  cmd->add_option("--evtx", options->evtx_files,
                  ".evtx files, read by the built-in reader on every OS (dirty and damaged files too)");
  cmd->add_flag("--evtx-api", options->evtx_api,
                "Read the --evtx files through the Windows event log API (EvtQuery) instead (Windows only)");
  cmd->add_option("--channel", options->channels, "Live event channels, e.g. System (Windows only)");
  cmd->add_option("--xrdp-log", options->xrdp_logs, "xrdp log files (e.g. /var/log/xrdp.log)");
  cmd->add_option("--since", options->since,
                  "Only events newer than this (30m, 24h, 7d) for --channel and --evtx");
  cmd->add_option("--catalog", options->catalog_file, "Detection catalog JSON replacing the built-in one")
      ->check(CLI::ExistingFile);
  cmd->add_option("--timeline-lines", options->timeline_lines, "Timeline lines in the human report")
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--json", options->json, "Print one JSON object instead of the human report");
  cmd->footer(kExitCodeHelp);
  cmd->callback([options, &exit_code] {
    if (options->xml_files.empty() && options->evtx_files.empty() && options->channels.empty() &&
        options->xrdp_logs.empty())
      throw CLI::ValidationError("scan", "give at least one of --xml, --evtx, --channel, --xrdp-log");
    exit_code = run_scan(*options, std::cout);
  });
}

}  // namespace rdpmend::cli
