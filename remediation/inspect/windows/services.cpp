#include "inspect/windows/services.h"

#include <windows.h>

#include "platform/windows/win_text.h"

namespace rdpmend::inspect::windows {
namespace {

class ServiceHandle {
 public:
  explicit ServiceHandle(SC_HANDLE h = nullptr) : h_(h) {}
  ServiceHandle(const ServiceHandle&) = delete;
  ServiceHandle& operator=(const ServiceHandle&) = delete;
  ~ServiceHandle() {
    if (h_) CloseServiceHandle(h_);
  }
  SC_HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  SC_HANDLE h_;
};

class WindowsServices final : public ServiceInspector {
 public:
  explicit WindowsServices(std::vector<std::string> names) : names_(std::move(names)) {}

  std::vector<ServiceState> inspect(const ListenerSettings&) override {
    std::vector<ServiceState> out;
    ServiceHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    std::string manager_error;
    if (!manager) manager_error = "open the service control manager: " + win::error_text(GetLastError());
    for (const auto& name : names_) {
      ServiceState state;
      state.name = name;
      if (manager)
        query(manager.get(), state);
      else
        state.error = manager_error;
      out.push_back(std::move(state));
    }
    return out;
  }

 private:
  static void query(SC_HANDLE manager, ServiceState& state) {
    ServiceHandle service(
        OpenServiceW(manager, win::widen(state.name).c_str(), SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG));
    if (!service) {
      DWORD code = GetLastError();
      if (code != ERROR_SERVICE_DOES_NOT_EXIST)
        state.error = "open service " + state.name + ": " + win::error_text(code);
      return;  // present stays false: absent, or unknown with the reason
    }
    state.present = true;

    SERVICE_STATUS_PROCESS status{};
    DWORD needed = 0;
    if (QueryServiceStatusEx(service.get(), SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status),
                             sizeof status, &needed))
      state.state = service_state_name(status.dwCurrentState);
    else
      state.error = "query the status of " + state.name + ": " + win::error_text(GetLastError());

    needed = 0;
    QueryServiceConfigW(service.get(), nullptr, 0, &needed);
    DWORD code = GetLastError();
    if (code != ERROR_INSUFFICIENT_BUFFER || needed == 0) {
      add_error(state, "query the configuration of " + state.name + ": " + win::error_text(code));
      return;
    }
    std::vector<std::uint64_t> buffer((needed + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
    auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
    if (!QueryServiceConfigW(service.get(), config, static_cast<DWORD>(buffer.size() * sizeof(std::uint64_t)),
                             &needed)) {
      add_error(state, "query the configuration of " + state.name + ": " + win::error_text(GetLastError()));
      return;
    }
    state.start_type = service_start_type_name(config->dwStartType);
  }

  static void add_error(ServiceState& state, const std::string& error) {
    state.error += (state.error.empty() ? "" : "; ") + error;
  }

  std::vector<std::string> names_;
};

}  // namespace

std::unique_ptr<ServiceInspector> make_service_inspector(std::vector<std::string> names) {
  return std::make_unique<WindowsServices>(std::move(names));
}

std::string service_state_name(unsigned long state) {
  switch (state) {
    case SERVICE_STOPPED:
      return "stopped";
    case SERVICE_START_PENDING:
      return "start-pending";
    case SERVICE_STOP_PENDING:
      return "stop-pending";
    case SERVICE_RUNNING:
      return "running";
    case SERVICE_CONTINUE_PENDING:
      return "continue-pending";
    case SERVICE_PAUSE_PENDING:
      return "pause-pending";
    case SERVICE_PAUSED:
      return "paused";
    default:
      return "state-" + std::to_string(state);
  }
}

std::string service_start_type_name(unsigned long start_type) {
  switch (start_type) {
    case SERVICE_BOOT_START:
      return "boot";
    case SERVICE_SYSTEM_START:
      return "system";
    case SERVICE_AUTO_START:
      return "auto";
    case SERVICE_DEMAND_START:
      return "manual";
    case SERVICE_DISABLED:
      return "disabled";
    default:
      return "start-type-" + std::to_string(start_type);
  }
}

}  // namespace rdpmend::inspect::windows
