// `rdpmend service install|uninstall|run|status` on Windows: the CLI side of the service host
// (service/windows/: service_host = run, service_control = the SCM, event_source = the Event Log source).

#include <windows.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include "cli/agent_runner.h"
#include "cli/exit_codes.h"
#include "cli/host_privilege.h"
#include "cli/service_command.h"
#include "inspect/windows/services.h"
#include "platform/windows/win_text.h"
#include "windows/data_folders.h"
#include "windows/event_source.h"
#include "windows/service_control.h"
#include "windows/service_host.h"

namespace rdpmend::cli {
namespace {

using service::kStopBudget;

struct ServiceArgs {
  std::string name = win::narrow(service::kDefaultServiceName);
  AgentRunOptions run;
  bool start = false;
};

constexpr auto kStartWait = std::chrono::seconds(60);
const double kDefaultSettle = AgentRunOptions{}.settle_seconds;

CLI::Option* add_name_option(CLI::App* cmd, ServiceArgs& args) {
  return cmd
      ->add_option("--name", args.name,
                   "Service name (default RdpMend; the tests install services of their own)")
      ->check([](const std::string& name) {
        if (name.empty() || name.size() > 256 || name.find_first_of("/\\") != std::string::npos)
          return std::string("a service name has 1 to 256 characters and no / or \\");
        return std::string();
      });
}

// The options `rdpmend run` takes that make sense for a service; `install` writes them into the ImagePath.
void add_agent_options(CLI::App* cmd, AgentRunOptions& run) {
  cmd->add_option("--host", run.engine.host, "local (default) or sim:FILE");
  cmd->add_option("--config", run.engine.config, "Configuration file ([policy])");
  cmd->add_option("--journal", run.engine.journal, "The journal database (default %ProgramData%\\RdpMend)");
  cmd->add_option("--log-dir", run.log_dir,
                  "Folder of the rotating log (default %ProgramData%\\RdpMend\\logs)");
  cmd->add_option("--settle", run.settle_seconds,
                  "Seconds to gather an incident's events before its pass (default 2)")
      ->check(CLI::Range(0.0, 300.0));
  cmd->add_option("--health-interval", run.health_seconds,
                  "Seconds between health checks, instead of the policy's ProbeIntervalMinutes (tests)")
      ->check(CLI::Range(1.0, 86400.0));
}

std::wstring this_executable() {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) return L"rdpmend.exe";
    if (n < path.size()) {
      path.resize(n);
      return path;
    }
    path.resize(path.size() * 2);
  }
}

// The service starts in %SystemRoot%\System32: every path it is given is made absolute here.
std::wstring absolute(const std::string& path) {
  std::error_code ec;
  auto full = std::filesystem::absolute(std::filesystem::path(win::widen(path)), ec);
  return ec ? win::widen(path) : full.wstring();
}

std::wstring number(double value) {
  return win::widen(fmt::format("{}", value));
}

// "<exe>" service run [--name N] [agent options]: the exe always quoted (an unquoted path with spaces is a
// classic hijack), each argument quoted when it needs it.
std::wstring image_path(const std::wstring& exe, const ServiceArgs& args) {
  std::vector<std::wstring> argv{L"service", L"run"};
  auto add = [&argv](const wchar_t* option, std::wstring value) {
    argv.push_back(option);
    argv.push_back(std::move(value));
  };
  if (args.name != win::narrow(service::kDefaultServiceName)) add(L"--name", win::widen(args.name));
  const auto& run = args.run;
  if (run.engine.host.starts_with("sim:")) add(L"--host", L"sim:" + absolute(run.engine.host.substr(4)));
  if (!run.engine.config.empty()) add(L"--config", absolute(run.engine.config));
  if (!run.engine.journal.empty()) add(L"--journal", absolute(run.engine.journal));
  if (!run.log_dir.empty()) add(L"--log-dir", absolute(run.log_dir));
  if (run.settle_seconds != kDefaultSettle) add(L"--settle", number(run.settle_seconds));
  if (run.health_seconds > 0) add(L"--health-interval", number(run.health_seconds));
  std::wstring line = L"\"" + exe + L"\"";
  for (const auto& a : argv) line += L" " + service::quote_argument(a);
  return line;
}

bool refuse_unless_administrator(const char* what, int& exit_code) {
  if (running_privileged()) return false;
  spdlog::error("{} changes the service control manager: run it from an elevated (Administrator) prompt",
                what);
  exit_code = kExitNotPermitted;
  return true;
}

int install(const ServiceArgs& args) {
  if (args.run.engine.host != "local" && !args.run.engine.host.starts_with("sim:")) {
    spdlog::error("--host: use local or sim:FILE, not '{}'", args.run.engine.host);
    return kExitUsage;
  }
  const std::wstring name = win::widen(args.name);
  const std::wstring exe = this_executable();
  service::InstallSpec spec;
  spec.name = name;
  // Display names are unique too: a second service (the tests') says whose it is.
  if (args.name != win::narrow(service::kDefaultServiceName))
    spec.display_name = std::wstring(service::kServiceDisplayName) + L" (" + name + L")";
  spec.command_line = image_path(exe, args);
  auto installed = service::install_service(spec);
  if (!installed) {
    spdlog::error("{}", installed.error().message());
    return kExitProblemsFound;
  }
  for (const auto& warning : installed.value()) spdlog::warn("{}", warning);
  if (auto source = service::register_event_source(name, exe); !source) {
    spdlog::error("{}; the service is removed again", source.error().message());
    (void)service::uninstall_service(name, kStopBudget);
    return kExitProblemsFound;
  }
  std::cout << "installed service " << args.name << ": " << win::narrow(spec.command_line) << "\n";
  if (!args.start) return kExitOk;
  if (auto started = service::start_service(name, kStartWait); !started) {
    spdlog::error("{}", started.error().message());
    return kExitProblemsFound;
  }
  std::cout << "started service " << args.name << "\n";
  return kExitOk;
}

// What the MSI runs after its ServiceInstall: the settings ServiceInstall cannot express (service SID,
// trimmed privileges, failure actions, preshutdown) and the data folders' DACL.
int configure(const ServiceArgs& args) {
  auto configured = service::configure_service(win::widen(args.name));
  if (!configured) {
    spdlog::error("{}", configured.error().message());
    return kExitProblemsFound;
  }
  for (const auto& warning : configured.value()) spdlog::warn("{}", warning);
  const std::filesystem::path journal(win::widen(default_journal_path()));
  if (auto secured =
          service::secure_data_folders({journal.parent_path().wstring(), win::widen(default_log_folder())});
      !secured) {
    spdlog::error("{}", secured.error().message());
    return kExitProblemsFound;
  }
  std::cout << "configured service " << args.name << " and its data folder "
            << win::narrow(journal.parent_path().wstring()) << "\n";
  return kExitOk;
}

int uninstall(const ServiceArgs& args) {
  const std::wstring name = win::widen(args.name);
  auto removed = service::uninstall_service(name, kStopBudget);
  if (!removed) {
    spdlog::error("{}", removed.error().message());
    return kExitProblemsFound;
  }
  if (auto source = service::unregister_event_source(name); !source) {
    spdlog::error("{}", source.error().message());
    return kExitProblemsFound;
  }
  std::cout << (removed.value().removed ? "removed service " : "no service to remove: ") << args.name << "\n";
  return kExitOk;
}

int status(const ServiceArgs& args) {
  auto s = service::query_service(win::widen(args.name));
  if (!s) {
    spdlog::error("{}", s.error().message());
    return kExitInputError;
  }
  const auto& state = s.value();
  if (!state.installed) {
    std::cout << args.name << ": not installed\n";
    return kExitProblemsFound;
  }
  std::cout << args.name << ": " << inspect::windows::service_state_name(state.state);
  if (state.pid != 0) std::cout << " (pid " << state.pid << ")";
  if (state.state == SERVICE_STOPPED) {
    if (state.win32_exit_code == ERROR_SERVICE_SPECIFIC_ERROR)
      std::cout << " (exit status " << state.service_exit_code << ")";
    else if (state.win32_exit_code != NO_ERROR)
      std::cout << " (" << win::error_text(state.win32_exit_code) << ")";
  }
  std::cout << "\n";
  return state.state == SERVICE_RUNNING ? kExitOk : kExitProblemsFound;
}

}  // namespace

void register_service_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServiceArgs>();
  auto* cmd = app.add_subcommand("service", "The Windows service: install, uninstall, status; run (the SCM)");
  cmd->require_subcommand(1);

  auto* install_cmd = cmd->add_subcommand(
      "install", "Install the agent as a service (development; production installs come from the MSI)");
  add_name_option(install_cmd, *args);
  add_agent_options(install_cmd, args->run);
  install_cmd->add_flag("--start", args->start, "Start it and wait until it runs");
  install_cmd->footer(std::string(kExitCodeHelp) +
                      "\ninstall: 0 done, 1 failed (the message says why), 4 not an elevated Administrator.");
  install_cmd->callback([args, &exit_code] {
    if (refuse_unless_administrator("service install", exit_code)) return;
    exit_code = install(*args);
  });

  auto* configure_cmd = cmd->add_subcommand(
      "configure",
      "Give an installed service the agent's settings and restrict its data folders (the MSI runs this)");
  add_name_option(configure_cmd, *args);
  configure_cmd->footer(
      std::string(kExitCodeHelp) +
      "\nconfigure: 0 done, 1 failed (the message says why), 4 not an elevated Administrator.");
  configure_cmd->callback([args, &exit_code] {
    if (refuse_unless_administrator("service configure", exit_code)) return;
    exit_code = configure(*args);
  });

  auto* uninstall_cmd =
      cmd->add_subcommand("uninstall", "Stop the service (30 s at most), remove it and its event source");
  add_name_option(uninstall_cmd, *args);
  uninstall_cmd->footer(
      std::string(kExitCodeHelp) +
      "\nuninstall: 0 removed or not installed, 1 failed, 4 not an elevated Administrator.");
  uninstall_cmd->callback([args, &exit_code] {
    if (refuse_unless_administrator("service uninstall", exit_code)) return;
    exit_code = uninstall(*args);
  });

  auto* status_cmd = cmd->add_subcommand("status", "Print the service's state");
  add_name_option(status_cmd, *args);
  status_cmd->footer("status: 0 running, 1 installed but not running, or not installed; 3 not readable.");
  status_cmd->callback([args, &exit_code] { exit_code = status(*args); });

  auto* run_cmd = cmd->add_subcommand(
      "run", "The service itself, as the service control manager starts it (in a console: `rdpmend run`)");
  add_name_option(run_cmd, *args);
  add_agent_options(run_cmd, args->run);
  run_cmd->callback(
      [args, &exit_code] { exit_code = service::run_service_host(win::widen(args->name), args->run); });
}

}  // namespace rdpmend::cli
