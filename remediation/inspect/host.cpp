#include "inspect/host.h"

#include "inspect/windows_firewall_commands.h"

#include "probe/probe.h"

namespace rdpmend::inspect {

const ServiceState* HostState::service(const std::string& name) const {
  for (const auto& s : services)
    if (s.name == name) return &s;
  return nullptr;
}

HostState inspect_host(Host& host, std::chrono::system_clock::time_point now, int expiring_within_days) {
  HostState state;
  state.platform = host.platform;
  state.hostname = host.hostname;
  state.service_account = host.service_account;
  state.listener = host.listener->read();
  if (!state.listener.error.empty()) state.errors.push_back("listener settings: " + state.listener.error);
  state.certificate = host.certificate->inspect(state.listener, now, expiring_within_days);
  if (!state.certificate.error.empty()) state.errors.push_back("certificate: " + state.certificate.error);
  for (auto* refused : {&state.listener.refused, &state.certificate.refused}) {
    state.refused_paths.insert(state.refused_paths.end(), refused->begin(), refused->end());
    refused->clear();
  }
  if (host.trust_checks)
    for (auto& refused : host.trust_checks()) state.refused_paths.push_back(std::move(refused));
  state.machinekeys_acl = host.key_access->machinekeys_folder();
  if (state.machinekeys_acl && !state.machinekeys_acl->file.error.empty())
    state.errors.push_back("MachineKeys folder: " + state.machinekeys_acl->file.error);
  state.rdp_key_acl = host.key_access->rdp_key_file(state.certificate);
  if (state.rdp_key_acl && !state.rdp_key_acl->file.error.empty())
    state.errors.push_back("RDP key file: " + state.rdp_key_acl->file.error);
  state.firewall = host.firewall->inspect(state.listener);
  if (!state.firewall.error.empty()) state.errors.push_back("firewall: " + state.firewall.error);
  // Derived from the rules, so a Windows snapshot shows them too (the xrdp inspector names its own).
  if (state.platform == "windows")
    state.firewall.restore_commands =
        windows_firewall_restore_commands(state.firewall, state.listener.port.value_or(3389));
  state.services = host.services->inspect(state.listener);
  for (const auto& s : state.services)
    if (!s.error.empty()) state.errors.push_back("service " + s.name + ": " + s.error);
  if (host.schannel) {
    state.schannel = host.schannel->inspect();
    if (!state.schannel->error.empty()) state.errors.push_back("schannel: " + state.schannel->error);
  }
  if (host.sessions) {
    auto counted = host.sessions->count();
    if (counted)
      state.sessions = counted.value();
    else
      state.errors.push_back("sessions: " + counted.error().message());
  }
  if (host.probe_listener) state.self_probe = host.probe_listener(state.listener);
  return state;
}

SelfProbe probe_local_listener(const ListenerSettings& listener) {
  probe::ProbeOptions options;
  options.host = listener.address.empty() || listener.address == "0.0.0.0" || listener.address == "::"
                     ? "127.0.0.1"
                     : listener.address;
  options.port = listener.port.value_or(3389);
  options.connect_timeout = options.read_timeout = std::chrono::milliseconds(2000);
  auto report = probe::run_probe(options);
  return SelfProbe{options.host + ":" + std::to_string(options.port), report.verdict, report.causes};
}

}  // namespace rdpmend::inspect
