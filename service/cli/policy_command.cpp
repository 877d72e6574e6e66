#include "cli/policy_command.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <system_error>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "admx/admx_check.h"
#include "admx/admx_template.h"
#include "cli/config_file.h"
#include "cli/exit_codes.h"
#include "policy_sources.h"
#include "util/json_text.h"
#include "util/printable.h"

namespace rdpmend::cli {
namespace {

void print_json(const policy::Policy& p, const std::string& config_path, std::ostream& out) {
  nlohmann::ordered_json j;
  j["config"] = config_path.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(config_path);
  j["mode"] = policy::mode_name(p.mode);
  auto settings = nlohmann::ordered_json::array();
  for (const auto& v : p.values) {
    settings.push_back({{"name", v.setting->name},
                        {"value", v.value},
                        {"source", policy::layer_name(v.layer)},
                        {"origin", v.origin},
                        {"default", v.setting->default_value},
                        {"type", policy::describe_type(*v.setting)},
                        {"help", v.setting->help}});
  }
  j["settings"] = settings;
  auto warnings = nlohmann::ordered_json::array();
  for (const auto& w : p.warnings)
    warnings.push_back({{"origin", w.origin},
                        {"name", w.name},
                        {"value", w.value},
                        {"reason", w.reason},
                        {"message", w.message()}});
  j["warnings"] = warnings;
  auto errors = nlohmann::ordered_json::array();
  for (const auto& e : p.errors) errors.push_back({{"object", e.object}, {"message", e.message()}});
  j["errors"] = errors;
  out << util::json_text(j, 2) << "\n";
}

// Values, origins and the warnings that quote them come from a configuration file or the registry.
void print_human(const policy::Policy& p, std::ostream& out) {
  using util::printable;
  std::size_t width = 0;
  for (const auto& v : p.values) width = std::max(width, v.setting->name.size());
  out << "Effective policy (later sources win: default < local < group-policy)\n";
  for (const auto& v : p.values) {
    std::string value = v.value.empty() ? "(empty)" : printable(v.value);
    out << "  " << std::left << std::setw(static_cast<int>(width) + 2) << std::string(v.setting->name)
        << std::setw(18) << value << policy::layer_name(v.layer);
    if (v.layer != policy::Layer::kDefault) out << " (" << printable(v.origin) << ")";
    out << "\n";
  }
  if (!p.warnings.empty()) {
    out << "\nIgnored values\n";
    for (const auto& w : p.warnings) out << "  " << printable(w.message()) << "\n";
  }
  if (!p.errors.empty()) {
    out << "\nSources not read\n";
    for (const auto& e : p.errors) out << "  " << printable(e.message()) << "\n";
  }
}

// A folder or file that could not be written: what, where, the OS's words, and the exit status it gives.
struct WriteFailure {
  std::string message;
  int exit_code;
};

WriteFailure write_failure(const std::string& what, const std::filesystem::path& path, std::error_code ec) {
  bool denied = ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted ||
                ec == std::errc::read_only_file_system;
  return {"cannot " + what + " " + path.string() + ": " + ec.message(),
          denied ? kExitNotPermitted : kExitInputError};
}

std::optional<WriteFailure> make_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return write_failure("create the folder", folder, ec);
  return std::nullopt;
}

std::optional<WriteFailure> write_file(const std::filesystem::path& file, const std::string& bytes) {
  errno = 0;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (out) out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (out) out.close();
  if (!out) {
    int error = errno ? errno : EIO;
    return write_failure("write", file, std::error_code(error, std::generic_category()));
  }
  return std::nullopt;
}

}  // namespace

int run_policy_template(const PolicyTemplateOptions& options, std::ostream& out) {
  namespace admx = policy::admx;
  const std::string admx_text = admx::admx_document();
  const std::string adml_text = admx::adml_document();
  // The generator's own defects stop here, before any file is written.
  auto problems = admx::check_template(admx_text, adml_text);
  if (!problems.empty()) {
    for (const auto& p : problems) spdlog::error("generated template: {}", p);
    return kExitInternal;
  }
  const std::filesystem::path folder(options.out);
  const auto language_folder = folder / admx::kAdmlFolder;
  const auto admx_file = folder / admx::kAdmxFileName;
  const auto adml_file = language_folder / admx::kAdmlFileName;
  auto failure = make_folder(language_folder);
  if (!failure) failure = write_file(admx_file, admx_text);
  if (!failure) failure = write_file(adml_file, adml_text);
  if (failure) {
    spdlog::error("{}", failure->message);
    return failure->exit_code;
  }
  out << "wrote " << util::printable(admx_file.string()) << "\nwrote " << util::printable(adml_file.string())
      << "\n";
  return kExitOk;
}

int run_policy_show(const PolicyShowOptions& options, std::ostream& out) {
  auto config = load_config_file(options.config);
  policy::SourceOptions sources;
  if (config) {
    sources = policy_sources_for(config.value());
  } else {  // shown as a source that could not be read: Mode is capped at Observe
    sources.config_path = config.error().object;
    sources.config_error = config.error().detail;
  }
  auto p = policy::load_policy(sources);
  if (options.json)
    print_json(p, sources.config_path, out);
  else
    print_human(p, out);
  return p.errors.empty() ? kExitOk : kExitInputError;
}

void register_policy_command(CLI::App& app, int& exit_code) {
  auto* policy_cmd = app.add_subcommand("policy", "The remediation policy");
  policy_cmd->require_subcommand(1);
  auto options = std::make_shared<PolicyShowOptions>();
  auto* show = policy_cmd->add_subcommand(
      "show", "The effective policy: each setting's value and where it came from, and ignored values");
  show->add_option("--config", options->config,
                   "Configuration file with a [policy] table (Linux; default /etc/rdpmend/rdpmend.toml)");
  show->add_flag("--json", options->json, "Print one JSON object");
  show->footer(std::string(kExitCodeHelp) + "\npolicy show: 0 shown, 3 a policy source could not be read.");
  show->callback([options, &exit_code] { exit_code = run_policy_show(*options, std::cout); });

  auto template_options = std::make_shared<PolicyTemplateOptions>();
  auto* templates = policy_cmd->add_subcommand(
      "template", "Write the Group Policy template: DIR/RdpMend.admx and DIR/en-US/RdpMend.adml");
  templates->add_option("--out", template_options->out, "Folder to write to (created if missing)")
      ->required();
  templates->footer(
      std::string(kExitCodeHelp) +
      "\npolicy template: 0 written, 3 a folder or file could not be written, 4 not permitted.");
  templates->callback(
      [template_options, &exit_code] { exit_code = run_policy_template(*template_options, std::cout); });
}

}  // namespace rdpmend::cli
