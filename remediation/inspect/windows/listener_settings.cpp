#include "inspect/windows/listener_settings.h"

#include <cstdio>
#include <functional>

namespace rdpmend::inspect::windows {
namespace {

constexpr const wchar_t* kMachineTerminalServer = L"SYSTEM\\CurrentControlSet\\Control\\Terminal Server";
constexpr const wchar_t* kMachinePolicy = L"SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";

bool same_path(const std::wstring& a, const std::wstring& b) {
  return CompareStringOrdinal(a.c_str(), static_cast<int>(a.size()), b.c_str(), static_cast<int>(b.size()),
                              TRUE) == CSTR_EQUAL;
}

class WindowsListenerSettings final : public ListenerSettingsReader {
 public:
  explicit WindowsListenerSettings(ListenerRegistry where) : where_(std::move(where)) {}

  ListenerSettings read() override {
    ListenerSettings out;
    errors_.clear();
    const RegistryLocation rdp_tcp = where_.rdp_tcp();

    dword(where_.terminal_server, L"fDenyTSConnections", true,
          [&](DWORD v) { out.deny_connections = v != 0; });
    dword(rdp_tcp, L"UserAuthentication", true, [&](DWORD v) { out.nla_required = v != 0; });
    dword(rdp_tcp, L"SecurityLayer", true, [&](DWORD v) { out.security_layer = v; });
    dword(rdp_tcp, L"MinEncryptionLevel", true, [&](DWORD v) { out.min_encryption_level = v; });
    dword(rdp_tcp, L"PortNumber", false, [&](DWORD v) {
      if (v == 0 || v > 65535)
        errors_.push_back(rdp_tcp.text() + "\\PortNumber is " + std::to_string(v) + ", not a TCP port");
      else
        out.port = static_cast<std::uint16_t>(v);
    });
    // Only checked here (ListenerSettings has no field for it): the certificate inspector reads it again.
    if (auto hash = read_configured_certificate_hash(where_.terminal_server); !hash)
      errors_.push_back(hash.error().message());

    for (const auto& e : errors_) out.error += (out.error.empty() ? "" : "; ") + e;
    return out;
  }

 private:
  // The listener's value, then the policy's when `policy_wins` and the policy sets it.
  void dword(const RegistryLocation& key, const wchar_t* name, bool policy_wins,
             const std::function<void(DWORD)>& use) {
    auto value = read_registry_dword(key, name);
    if (!value)
      errors_.push_back(value.error().message());
    else if (value.value())
      use(*value.value());
    if (!policy_wins || !where_.policy) return;
    auto policy = read_registry_dword(*where_.policy, name);
    if (!policy)
      errors_.push_back(policy.error().message());
    else if (policy.value())
      use(*policy.value());
  }

  ListenerRegistry where_;
  std::vector<std::string> errors_;
};

}  // namespace

ListenerRegistry listener_registry_for(const RegistryLocation& terminal_server) {
  ListenerRegistry where;
  where.terminal_server = terminal_server;
  if (terminal_server.hive == HKEY_LOCAL_MACHINE && same_path(terminal_server.path, kMachineTerminalServer))
    where.policy = RegistryLocation{HKEY_LOCAL_MACHINE, kMachinePolicy};
  return where;
}

std::unique_ptr<ListenerSettingsReader> make_listener_settings_reader(ListenerRegistry where) {
  return std::make_unique<WindowsListenerSettings>(std::move(where));
}

Result<std::optional<std::string>> read_configured_certificate_hash(const RegistryLocation& terminal_server) {
  const RegistryLocation rdp_tcp = terminal_server.child(L"WinStations\\RDP-Tcp");
  auto value = read_registry_binary(rdp_tcp, L"SSLCertificateSHA1Hash");
  if (!value) return value.error();
  if (!value.value()) return std::optional<std::string>();
  const auto& bytes = *value.value();
  if (bytes.size() != 20)
    return Error{
        "read registry value", rdp_tcp.text() + "\\SSLCertificateSHA1Hash",
        "REG_BINARY of " + std::to_string(bytes.size()) + " bytes, expected a 20-byte SHA-1 thumbprint"};
  std::string hex;
  for (auto b : bytes) {
    char two[3];
    std::snprintf(two, sizeof two, "%02X", static_cast<unsigned>(b));
    hex += two;
  }
  return std::optional<std::string>(hex);
}

}  // namespace rdpmend::inspect::windows
