#include "windows/service_host.h"

#include <windows.h>
#include <wtsapi32.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "cli/exit_codes.h"
#include "cli/logging.h"
#include "platform/windows/win_text.h"
#include "windows/event_log_sink.h"
#include "windows/service_control.h"

namespace rdpmend::service {
namespace {

// The start pass (recovery, inspection, self-probe) may take a while; the checkpoint advances each second
// while the service is pending, but only within the budget, so a start or stop that hangs is still seen as
// hung by the SCM.
constexpr auto kStartBudget = std::chrono::seconds(120);
constexpr DWORD kWaitHintMs = 5'000;

class ServiceHost {
 public:
  ServiceHost(std::wstring name, cli::AgentRunOptions options)
      : name_(std::move(name)), options_(std::move(options)) {}

  // ServiceMain, on the thread the SCM's dispatcher made for it.
  void main() {
    handle_ = RegisterServiceCtrlHandlerExW(name_.c_str(), &ServiceHost::handler, this);
    if (!handle_) {
      exit_code_ = cli::kExitInternal;
      return;  // nothing can be reported; the SCM sees the process end
    }
    setup_logging();
    report_pending(SERVICE_START_PENDING, kStartBudget);
    std::thread heartbeat([this] { beat(); });
    int code = cli::kExitInternal;
    try {
      options_.handle_signals = false;
      options_.on_event = make_event_log_writer(name_);
      code =
          cli::run_agent(options_, [this](cli::AgentControls controls) { on_started(std::move(controls)); });
    } catch (const std::exception& e) {
      spdlog::error("internal error: {}", e.what());
    }
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
    }
    beat_.notify_all();
    heartbeat.join();
    exit_code_ = code;
    report_stopped(code);  // the last call: the process may end as soon as it is made
  }

  int exit_code() const { return exit_code_; }

 private:
  static DWORD WINAPI handler(DWORD control, DWORD event_type, LPVOID, LPVOID context) {
    auto* self = static_cast<ServiceHost*>(context);
    switch (control) {
      case SERVICE_CONTROL_SESSIONCHANGE:
        // A sign-off or a disconnect may be the last session a held-back restart waits for (the agent
        // counts them again; the event's own session id is not needed).
        if (event_type == WTS_SESSION_LOGOFF || event_type == WTS_CONSOLE_DISCONNECT ||
            event_type == WTS_REMOTE_DISCONNECT)
          self->sessions_changed();
        return NO_ERROR;
      case SERVICE_CONTROL_STOP:
        self->stop("SERVICE_CONTROL_STOP");
        return NO_ERROR;
      case SERVICE_CONTROL_SHUTDOWN:
        self->stop("SERVICE_CONTROL_SHUTDOWN");
        return NO_ERROR;
      case SERVICE_CONTROL_PRESHUTDOWN:
        self->stop("SERVICE_CONTROL_PRESHUTDOWN");
        return NO_ERROR;
      case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR;
      default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
  }

  // No console: the Event Log from the start (a configuration the agent cannot use is reported there), and
  // run_agent adds the rotating file. Information is logged: an agent's log is its record.
  void setup_logging() {
    try {
      auto logger = cli::make_printable_logger("rdpmend", make_event_log_sink(name_));
      logger->set_level(spdlog::level::info);
      spdlog::set_default_logger(std::move(logger));
    } catch (...) {
      spdlog::set_level(spdlog::level::off);
    }
  }

  void sessions_changed() {
    std::function<void()> notify;
    {
      std::lock_guard lock(mutex_);
      notify = sessions_changed_;
    }
    if (notify) notify();
  }

  void on_started(cli::AgentControls controls) {
    bool stop_now = false;
    std::function<void()> request_stop = controls.request_stop;
    {
      std::lock_guard lock(mutex_);
      request_stop_ = request_stop;
      sessions_changed_ = std::move(controls.sessions_changed);
      stop_now = stopping_;
      if (!stopping_) set_status(SERVICE_RUNNING, 0);
    }
    spdlog::info("service {} running (pid {})", win::narrow(name_), GetCurrentProcessId());
    if (stop_now) request_stop();
  }

  void stop(const char* why) {
    std::function<void()> request_stop;
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || finished_) return;
      stopping_ = true;
      pending_until_ = std::chrono::steady_clock::now() + kStopBudget;
      set_status(SERVICE_STOP_PENDING, kWaitHintMs);
      request_stop = request_stop_;
    }
    spdlog::info("{}: stopping", why);
    if (request_stop) request_stop();  // else on_started stops it as soon as it runs
  }

  void report_pending(DWORD state, std::chrono::steady_clock::duration budget) {
    std::lock_guard lock(mutex_);
    pending_until_ = std::chrono::steady_clock::now() + budget;
    set_status(state, kWaitHintMs);
  }

  void report_stopped(int code) {
    std::lock_guard lock(mutex_);
    status_.dwWin32ExitCode = code == cli::kExitOk ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    status_.dwServiceSpecificExitCode = code == cli::kExitOk ? 0 : static_cast<DWORD>(code);
    set_status(SERVICE_STOPPED, 0);
  }

  // Caller holds mutex_.
  void set_status(DWORD state, DWORD wait_hint) {
    const bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    status_.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status_.dwCurrentState = state;
    status_.dwControlsAccepted = state == SERVICE_RUNNING
                                     ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN |
                                           SERVICE_ACCEPT_PRESHUTDOWN | SERVICE_ACCEPT_SESSIONCHANGE
                                     : 0;
    status_.dwWaitHint = wait_hint;
    status_.dwCheckPoint = pending ? status_.dwCheckPoint + 1 : 0;
    SetServiceStatus(handle_, &status_);
  }

  // While START_PENDING or STOP_PENDING: the next checkpoint each second, within the budget.
  void beat() {
    std::unique_lock lock(mutex_);
    while (!finished_) {
      beat_.wait_for(lock, std::chrono::seconds(1));
      if (finished_) break;
      const DWORD state = status_.dwCurrentState;
      if ((state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING) &&
          std::chrono::steady_clock::now() < pending_until_)
        set_status(state, kWaitHintMs);
    }
  }

  const std::wstring name_;
  cli::AgentRunOptions options_;
  SERVICE_STATUS_HANDLE handle_ = nullptr;
  std::atomic<int> exit_code_ = cli::kExitOk;

  std::mutex mutex_;
  std::condition_variable beat_;
  SERVICE_STATUS status_{};
  std::chrono::steady_clock::time_point pending_until_{};
  std::function<void()> request_stop_;
  std::function<void()> sessions_changed_;
  bool stopping_ = false;
  bool finished_ = false;
};

ServiceHost* g_host = nullptr;  // ServiceMain has no context argument

void WINAPI service_main(DWORD, LPWSTR*) {
  g_host->main();
}

}  // namespace

int run_service_host(const std::wstring& name, cli::AgentRunOptions options) {
  // Never freed: the service thread may still be returning from its last SetServiceStatus (SERVICE_STOPPED)
  // when the dispatcher returns here.
  auto* host = new ServiceHost(name, std::move(options));
  g_host = host;
  std::wstring table_name = name;
  SERVICE_TABLE_ENTRYW table[] = {{table_name.data(), &service_main}, {nullptr, nullptr}};
  if (!StartServiceCtrlDispatcherW(table)) {
    const DWORD code = GetLastError();
    if (code == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
      spdlog::error(
          "`rdpmend service run` is started by the service control manager: use `rdpmend service install "
          "--start`, or `rdpmend run` in a console");
      return cli::kExitUsage;
    }
    spdlog::error("connect to the service control manager: {}", win::error_text(code));
    return cli::kExitInternal;
  }
  return host->exit_code();
}

}  // namespace rdpmend::service
