#include "inspect/schannel_rules.h"

namespace rdpmend::inspect {
namespace {

const SchannelProtocol* find(const std::vector<SchannelProtocol>& server, const std::string& name) {
  for (const auto& p : server)
    if (p.protocol == name) return &p;
  return nullptr;
}

constexpr const char* kServerKey =
    "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server";

}  // namespace

bool server_offers(const SchannelProtocol& protocol) {
  if (protocol.disabled_by_default == true) return false;
  if (protocol.protocol == "TLS 1.3") return protocol.enabled == true;
  return protocol.enabled != false;
}

bool offers_current_tls(const std::vector<SchannelProtocol>& server) {
  for (const char* name : {"TLS 1.2", "TLS 1.3"}) {
    const auto* p = find(server, name);
    SchannelProtocol absent{name, std::nullopt, std::nullopt};
    if (server_offers(p ? *p : absent)) return true;
  }
  return false;
}

std::vector<std::string> tls12_restore_commands(const std::vector<SchannelProtocol>& server) {
  const auto* tls12 = find(server, "TLS 1.2");
  if (!tls12 || server_offers(*tls12)) return {};
  return {
      std::string("New-Item -Path '") + kServerKey + "' -Force",
      std::string("Set-ItemProperty -Path '") + kServerKey + "' -Name Enabled -Value 1 -Type DWord",
      std::string("Set-ItemProperty -Path '") + kServerKey + "' -Name DisabledByDefault -Value 0 -Type DWord",
      "Restart-Computer  # Schannel reads its protocol switches at boot"};
}

void judge_schannel(SchannelState& state) {
  if (!state.error.empty()) {
    state.offers_current_tls.reset();
    state.restore_commands.clear();
    return;
  }
  state.offers_current_tls = offers_current_tls(state.server);
  state.restore_commands = tls12_restore_commands(state.server);
}

}  // namespace rdpmend::inspect
