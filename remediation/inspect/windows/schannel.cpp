#include "inspect/windows/schannel.h"

#include "inspect/schannel_rules.h"
#include "platform/windows/win_text.h"

namespace rdpmend::inspect::windows {
namespace {

class RegistrySchannel final : public SchannelInspector {
 public:
  explicit RegistrySchannel(RegistryLocation protocols) : protocols_(std::move(protocols)) {}

  SchannelState inspect() override {
    SchannelState state;
    for (const char* name : kSchannelProtocols) {
      const auto server = protocols_.child(win::widen(name)).child(L"Server");
      SchannelProtocol protocol{name, std::nullopt, std::nullopt};
      auto enabled = read_registry_dword(server, L"Enabled");
      auto by_default = read_registry_dword(server, L"DisabledByDefault");
      if (!enabled || !by_default) {
        state.error = (!enabled ? enabled.error() : by_default.error()).message();
        break;
      }
      if (enabled.value()) protocol.enabled = *enabled.value() != 0;
      if (by_default.value()) protocol.disabled_by_default = *by_default.value() != 0;
      state.server.push_back(protocol);
    }
    judge_schannel(state);
    return state;
  }

 private:
  RegistryLocation protocols_;
};

}  // namespace

RegistryLocation schannel_protocols_for(const RegistryLocation& terminal_server) {
  return terminal_server.parent().child(L"SecurityProviders\\SCHANNEL\\Protocols");
}

std::unique_ptr<SchannelInspector> make_schannel_inspector(RegistryLocation protocols) {
  return std::make_unique<RegistrySchannel>(std::move(protocols));
}

}  // namespace rdpmend::inspect::windows
