#pragma once
// A host to inspect: one implementation of each port (windows/, linux/ for xrdp, sim/ from a snapshot),
// and the portable walk that fills a HostState from them.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "inspect/certificate_state.h"
#include "inspect/firewall.h"
#include "inspect/host_state.h"
#include "inspect/key_access.h"
#include "inspect/listener_settings.h"
#include "inspect/schannel.h"
#include "inspect/services.h"
#include "inspect/sessions.h"

namespace rdpmend::inspect {

struct Host {
  std::string platform;
  std::string hostname;
  std::string service_account;
  std::unique_ptr<ListenerSettingsReader> listener;
  std::unique_ptr<CertificateInspector> certificate;
  std::unique_ptr<KeyAccessInspector> key_access;
  std::unique_ptr<FirewallInspector> firewall;
  std::unique_ptr<ServiceInspector> services;
  std::unique_ptr<SessionInspector> sessions;   // null: never known on this host
  std::unique_ptr<SchannelInspector> schannel;  // null: not this platform's (xrdp)
  // What else the host's actions would trust, checked at each inspection (xrdp: the restart program;
  // sim: the snapshot's refused paths). Empty: nothing.
  std::function<std::vector<RefusedPath>()> trust_checks;
  // The probe of the host's own listener (local hosts: probe::run_probe; sim: the snapshot's result).
  std::function<std::optional<SelfProbe>(const ListenerSettings&)> probe_listener;
};

// The self-probe of a listener at address:port (127.0.0.1 when it listens on every address).
SelfProbe probe_local_listener(const ListenerSettings& listener);

// Where the local inspectors look. Windows ignores the xrdp fields.
struct LocalHostConfig {
  std::string xrdp_ini = "/etc/xrdp/xrdp.ini";
  std::string xrdp_user = "xrdp";
  std::vector<std::string> restart_command;  // xrdp: checked under the trust rule at each inspection
  // Windows: the registry root the listener settings are read from (tests point it elsewhere).
  std::string terminal_server_key = "SYSTEM\\CurrentControlSet\\Control\\Terminal Server";
};

// This machine: windows/local_host.cpp or linux/local_host.cpp.
Result<std::unique_ptr<Host>> make_local_host(const LocalHostConfig& config);

HostState inspect_host(Host& host, std::chrono::system_clock::time_point now, int expiring_within_days);

}  // namespace rdpmend::inspect
