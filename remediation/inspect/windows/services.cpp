#include "inspect/windows/services.h"

#include <windows.h>

#include "platform/windows/scm.h"
#include "platform/windows/win_text.h"

namespace rdpmend::inspect::windows {
namespace {

class WindowsServices final : public ServiceInspector {
 public:
  explicit WindowsServices(std::vector<std::string> names) : names_(std::move(names)) {}

  std::vector<ServiceState> inspect(const ListenerSettings&) override {
    std::vector<ServiceState> out;
    auto scm = win::Scm::connect();
    std::string manager_error;
    if (!scm) manager_error = "open the service control manager: " + scm.error().detail;
    for (const auto& name : names_) {
      ServiceState state;
      state.name = name;
      if (scm)
        query(scm.value(), state);
      else
        state.error = manager_error;
      out.push_back(std::move(state));
    }
    return out;
  }

 private:
  // The texts name the service in the sentence (the snapshot's error field), not as an Error's object.
  static void query(const win::Scm& scm, ServiceState& state) {
    auto service =
        scm.open(win::widen(state.name), SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, win::IfMissing::kEmpty);
    if (!service) {
      state.error = "open service " + state.name + ": " + service.error().detail;
      return;  // present stays false: unknown, with the reason
    }
    if (!service.value()) return;  // absent: present stays false, no error
    state.present = true;

    if (auto status = win::query_status(service.value().get(), state.name))
      state.state = service_state_name(status.value().dwCurrentState);
    else
      state.error = "query the status of " + state.name + ": " + status.error().detail;

    if (auto start_type = win::query_start_type(service.value().get(), state.name))
      state.start_type = service_start_type_name(start_type.value());
    else
      add_error(state, "query the configuration of " + state.name + ": " + start_type.error().detail);
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
  return win::service_state_name(state);
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
