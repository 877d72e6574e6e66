#pragma once
// `rdpmend scan`: read exported or live events, print the RDP-relevant timeline and the symptoms.

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace rdpmend::cli {

struct ScanOptions {
  std::vector<std::string> xml_files;
  std::vector<std::string> evtx_files;
  bool evtx_api = false;  // read evtx_files through EvtQuery (Windows) instead of the built-in reader
  std::vector<std::string> channels;
  std::vector<std::string> xrdp_logs;
  std::string since;
  std::string catalog_file;
  std::size_t timeline_lines = 50;
  bool json = false;
};

// Runs a scan and writes the report to `out`; returns the exit status.
int run_scan(const ScanOptions& options, std::ostream& out);

void register_scan_command(CLI::App& app, int& exit_code);

}  // namespace rdpmend::cli
