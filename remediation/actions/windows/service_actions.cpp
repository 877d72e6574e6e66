// start-rdp-service and restart-rdp-service: TermService through the service control manager
// (platform/windows/scm), every wait bounded (config.service_timeout per state change, polled at a tenth of
// the service's wait hint, between 100 ms and 1 s, as the SCM documents; it offers no blocking wait on a
// state).
//
// start-rdp-service   starts the service when it is stopped and waits until it runs; a running one is left
//                     alone (idempotent). A service an administrator disabled is refused, not re-enabled.
//                     Not reversible: undoing a start means stopping Remote Desktop, which cuts every session
//                     and is never what a rollback should do; the backup only records the prior state.
// restart-rdp-service stops the services that depend on TermService (UmRdpService) and the configured
//                     companions (SessionEnv, which makes the self-signed certificate), then TermService;
//                     starts TermService, then the companions and dependents that were running. Not
//                     reversible: a restart cannot be undone (the sessions it dropped are gone).
// verify (both)       TermService runs, and when the state carries a self-probe of the listener, its verdict
//                     is usable (ok, nla-required): that is where the certificate it serves is checked.
#include <algorithm>
#include <chrono>

#include "actions/new_certificate_evidence.h"
#include "actions/windows/administrator.h"
#include "actions/windows/windows_actions.h"
#include "events/event_log_reader.h"
#include "platform/windows/handles.h"
#include "platform/windows/scm.h"
#include "platform/windows/win_text.h"
#include "probe/verdict.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;
using win::IfMissing;
using win::Scm;
using win::UniqueServiceHandle;

constexpr DWORD kControl =
    SERVICE_START | SERVICE_STOP | SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG | SERVICE_ENUMERATE_DEPENDENTS;

// Starts the service unless it runs or is starting, and waits until it runs; one still stopping is let stop
// first (StartServiceW refuses it).
Status start_and_wait(SC_HANDLE service, const std::string& name, std::chrono::milliseconds limit) {
  auto s = win::query_status(service, name);
  if (!s) return s.error();
  const DWORD state = s.value().dwCurrentState;
  if (state == SERVICE_STOP_PENDING) {
    if (auto stopped = win::wait_for_state(service, name, SERVICE_STOPPED, limit); !stopped) return stopped;
  }
  if (state != SERVICE_RUNNING && state != SERVICE_START_PENDING) {
    if (auto started = win::start(service, name); !started) return started;
  }
  return win::wait_for_state(service, name, SERVICE_RUNNING, limit);
}

// Stops the service unless it is stopped or stopping, and waits until it is stopped.
Status stop_and_wait(SC_HANDLE service, const std::string& name, std::chrono::milliseconds limit) {
  auto s = win::query_status(service, name);
  if (!s) return s.error();
  const DWORD state = s.value().dwCurrentState;
  if (state == SERVICE_STOPPED) return Ok{};
  if (state != SERVICE_STOP_PENDING) {
    if (auto stopped = win::stop(service, name); !stopped) return stopped;
  }
  return win::wait_for_state(service, name, SERVICE_STOPPED, limit);
}

// The services that depend on `service` and are running now (EnumDependentServicesW, SERVICE_ACTIVE), in the
// order to stop them (dependents of dependents first).
Result<std::vector<std::wstring>> active_dependents(SC_HANDLE service, const std::string& name) {
  DWORD needed = 0, count = 0;
  if (EnumDependentServicesW(service, SERVICE_ACTIVE, nullptr, 0, &needed, &count))
    return std::vector<std::wstring>();
  if (GetLastError() != ERROR_MORE_DATA)
    return Error{"list the services that depend on", name, win::error_text(GetLastError())};
  std::vector<std::uint64_t> buffer((needed + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
  auto* list = reinterpret_cast<ENUM_SERVICE_STATUSW*>(buffer.data());
  if (!EnumDependentServicesW(service, SERVICE_ACTIVE, list, needed, &needed, &count))
    return Error{"list the services that depend on", name, win::error_text(GetLastError())};
  std::vector<std::wstring> out;
  for (DWORD i = 0; i < count; ++i) out.emplace_back(list[i].lpServiceName);
  return out;
}

Status verify_running(const HostState& after, const std::string& service, std::string_view action) {
  const std::string what = "verify " + std::string(action);
  const auto* s = after.service(service);
  if (!s || !s->present) return Error{what, service, "the service is not installed"};
  if (s->state != "running")
    return Error{what, service,
                 "the service is " + (s->state.empty() ? std::string("in an unknown state") : s->state)};
  // A listener that works: usable, or serving a certificate that is still valid but expiring soon.
  if (after.self_probe && !after.self_probe->verdict.empty() &&
      probe::verdict_class(after.self_probe->verdict) != probe::VerdictClass::kUsable &&
      after.self_probe->verdict != "cert-expiring") {
    std::string causes;
    for (const auto& c : after.self_probe->causes) causes += (causes.empty() ? "" : "; ") + c;
    return Error{what, after.self_probe->target,
                 "the listener does not work yet: " + after.self_probe->verdict +
                     (causes.empty() ? "" : " (" + causes + ")")};
  }
  return Ok{};
}

class ServiceAction : public Action {
 public:
  explicit ServiceAction(WindowsActionConfig config) : config_(std::move(config)) {}
  std::string target(const HostState&) const override { return win::narrow(config_.rdp_service); }
  bool reversible() const override { return false; }
  Status rollback(const Backup&) override { return Ok{}; }

  Status check(const HostState&) override {
    if (auto admin = windows::require_administrator(config_, id()); !admin) return admin;
    auto scm = Scm::connect();
    if (!scm) return scm.error();
    auto service = scm.value().open(config_.rdp_service, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
    if (!service) return service.error();
    auto type = win::query_start_type(service.value().get(), name());
    if (!type) return type.error();
    if (type.value() == SERVICE_DISABLED)
      return Error{std::string(id()), name(),
                   "refused: an administrator disabled the service; RdpMend does not re-enable it"};
    return Ok{};
  }

  Result<Backup> backup(const HostState&) override {
    auto scm = Scm::connect();
    if (!scm) return scm.error();
    auto service = scm.value().open(config_.rdp_service, SERVICE_QUERY_STATUS);
    if (!service) return service.error();
    auto s = win::query_status(service.value().get(), name());
    if (!s) return s.error();
    // For the journal only: nothing is rolled back.
    return Backup{Json{{"service", name()},
                       {"state", win::service_state_name(s.value().dwCurrentState)},
                       {"process_id", s.value().dwProcessId}}};
  }

  // A self-signed certificate removed before this (regenerate-rdp-cert) is made again by TermService as it
  // starts: the documented procedure's proof is System event 1056, logged after the (re)start.
  Status verify(const HostState& after) override {
    if (auto running = verify_running(after, name(), id()); !running) return running;
    if (!expect_new_certificate_) return Ok{};
    std::vector<events::Event> system;
    for (int attempt = 0; attempt < 5; ++attempt) {
      system.clear();
      auto since =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() - started_at_) +
          std::chrono::seconds(60);
      events::make_event_log_reader()->read_channel(
          "System", since, [&](events::Event&& e) { system.push_back(std::move(e)); },
          [](events::ReadError&&) {});
      if (auto logged = new_certificate_logged(system, started_at_ - std::chrono::seconds(5))) return Ok{};
      Sleep(1000);
    }
    return Error{"verify " + std::string(id()), name(),
                 "TermService logged no event 1056 (a new self-signed certificate) after it started"};
  }

 protected:
  // Called by apply: what the verification must then see.
  void starting(const HostState& before) {
    started_at_ = std::chrono::system_clock::now();
    expect_new_certificate_ = before.certificate.source == "self-signed" && !before.certificate.present;
  }
  std::string name() const { return win::narrow(config_.rdp_service); }
  const WindowsActionConfig& config() const { return config_; }

 private:
  WindowsActionConfig config_;
  std::chrono::system_clock::time_point started_at_;
  bool expect_new_certificate_ = false;
};

class StartRdpService final : public ServiceAction {
 public:
  using ServiceAction::ServiceAction;
  std::string_view id() const override { return ids::action::kStartRdpService; }

  Status apply(const HostState& before, const Backup&) override {
    starting(before);
    auto scm = Scm::connect();
    if (!scm) return scm.error();
    auto service = scm.value().open(config().rdp_service, kControl);
    if (!service) return service.error();
    return start_and_wait(service.value().get(), name(), config().service_timeout);
  }
};

class RestartRdpService final : public ServiceAction {
 public:
  using ServiceAction::ServiceAction;
  std::string_view id() const override { return ids::action::kRestartRdpService; }

  Status apply(const HostState& before, const Backup&) override {
    starting(before);
    const auto limit = config().service_timeout;
    auto scm = Scm::connect();
    if (!scm) return scm.error();
    auto main = scm.value().open(config().rdp_service, kControl);
    if (!main) return main.error();

    // Stop: the dependents that run, the companions that run, then the service itself.
    auto dependents = active_dependents(main.value().get(), name());
    if (!dependents) return dependents.error();
    std::vector<std::pair<std::wstring, UniqueServiceHandle>> to_restart;
    for (const auto& d : dependents.value()) {
      auto h = scm.value().open(d, kControl);
      if (!h) return h.error();
      to_restart.emplace_back(d, std::move(h).value());
    }
    for (const auto& c : config().restart_with) {
      auto h = scm.value().open(c, kControl, IfMissing::kEmpty);
      if (!h) return h.error();
      if (!h.value()) continue;  // not on this system
      const bool listed = std::any_of(to_restart.begin(), to_restart.end(), [&](const auto& r) {
        return CompareStringOrdinal(r.first.c_str(), -1, c.c_str(), -1, TRUE) == CSTR_EQUAL;
      });
      if (listed) continue;  // a dependent already
      auto s = win::query_status(h.value().get(), win::narrow(c));
      if (!s) return s.error();
      if (s.value().dwCurrentState == SERVICE_RUNNING || s.value().dwCurrentState == SERVICE_START_PENDING)
        to_restart.emplace_back(c, std::move(h).value());
    }
    for (const auto& [n, h] : to_restart) {
      if (auto stopped = stop_and_wait(h.get(), win::narrow(n), limit); !stopped) return stopped;
    }
    if (auto stopped = stop_and_wait(main.value().get(), name(), limit); !stopped) return stopped;

    // Start: the service first, then the others in the reverse order of their stop.
    if (auto started = start_and_wait(main.value().get(), name(), limit); !started) return started;
    for (auto it = to_restart.rbegin(); it != to_restart.rend(); ++it) {
      if (auto started = start_and_wait(it->second.get(), win::narrow(it->first), limit); !started)
        return started;
    }
    return Ok{};
  }
};

}  // namespace

std::unique_ptr<Action> make_start_service_action(const WindowsActionConfig& config) {
  return std::make_unique<StartRdpService>(config);
}

std::unique_ptr<Action> make_restart_service_action(const WindowsActionConfig& config) {
  return std::make_unique<RestartRdpService>(config);
}

}  // namespace rdpmend::actions
