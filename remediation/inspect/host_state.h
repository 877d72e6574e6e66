#pragma once
// The state of an RDP host that the 0x904 family depends on, one plain struct per facet. Inspectors fill
// it (windows/, linux/ for xrdp, sim/ from a JSON snapshot); diagnosis reads it. A value the inspector
// could not read stays unset and the reason goes to `errors`: unknown is never reported as healthy.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probe/certificate_info.h"

namespace rdpmend::inspect {

// A file (or folder) and who can use it.
struct FileState {
  std::string path;
  bool exists = false;
  bool is_link = false;  // symlink, or reparse point / junction on Windows: never followed when repairing
  std::optional<bool> readable_by_service;  // by the account the RDP service runs as
  std::string owner;
  std::string group;
  std::optional<std::uint32_t> mode;  // POSIX permission bits
  std::string sddl;                   // Windows security descriptor
  std::string error;
};

// A file the inspection refused to trust or to use (docs/SECURITY.md): nothing is changed through it, and
// the actions that would go through it are held back (diagnosis.json: an action's "needs_trusted").
struct RefusedPath {
  std::string role;       // what the file is for: one of the kRole* ids below
  std::string path;       // the path as configured
  std::string reason;     // security::refusal_id (untrusted-owner, ...) or kNotACertificate / kNotAPrivateKey
  std::string component;  // the component that failed, with its facts
  std::string owner;
  std::string group;
  std::optional<std::uint32_t> mode;
  std::string detail;
};

// The roles of the files the inspection reads (RefusedPath::role, diagnosis.json "needs_trusted").
inline constexpr const char* kRoleListenerSettings = "listener-settings";  // xrdp.ini
inline constexpr const char* kRoleCertificate = "certificate";
inline constexpr const char* kRoleKey = "key";
inline constexpr const char* kRoleRestartProgram = "restart-program";
inline constexpr const char* kRoles[] = {kRoleListenerSettings, kRoleCertificate, kRoleKey,
                                         kRoleRestartProgram};
// Content refusals (RefusedPath::reason) beside the trust rule's own.
inline constexpr const char* kNotACertificate = "not-a-certificate";
inline constexpr const char* kNotAPrivateKey = "not-a-private-key";

struct ListenerCertificate {
  // Where the listener's certificate comes from: "self-signed" (LocalMachine\Remote Desktop),
  // "configured" (SSLCertificateSHA1Hash), "template" (Group Policy), "xrdp-ini".
  std::string source;
  std::string location;  // store and thumbprint, or file path
  bool present = false;
  std::optional<probe::CertificateInfo> info;
  FileState key;                    // the private key file
  std::optional<bool> key_matches;  // the key belongs to the certificate
  // Windows: SSLCertificateSHA1Hash names the self-signed certificate in `Remote Desktop` (a script or
  // wmic pinned Windows' own one). It is still the self-signed default (source "self-signed"); the hash goes
  // stale once that certificate is replaced, so regenerate-rdp-cert clears it with the removal.
  bool pinned_by_hash = false;
  std::string error;
  std::vector<RefusedPath> refused;  // moved into HostState::refused_paths by inspect_host
};

// An ACL compared with its documented default (MachineKeys: O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)).
struct AclCheck {
  FileState file;
  std::optional<bool> matches_default;
  std::vector<std::string> differences;  // in words: "missing ACE (A;;FA;;;BA)", "not protected (PAI)"
};

struct FirewallRule {
  std::string name;  // stable rule name, e.g. RemoteDesktop-UserMode-In-TCP
  bool present = false;
  std::optional<bool> enabled;
  std::string profiles;
  std::string local_ports;
};

struct FirewallState {
  std::optional<bool> active;  // a firewall is filtering at all; no firewall is a valid state
  std::vector<FirewallRule> rules;
  std::optional<bool> blocks_rdp_port;  // the rule set drops or rejects the listener port
  std::string detail;                   // which rule blocks, or why the state is unknown
  std::string error;
  // The exact commands an administrator runs to let RDP in again as restore-firewall-rules would, from what
  // the inspection found (AllowRestoreFirewallRules is off by default: a rule may be gone on purpose).
  // Empty: nothing to restore, or the state does not say enough.
  std::vector<std::string> restore_commands;
};

struct ServiceState {
  std::string name;  // TermService, SessionEnv, UmRdpService; xrdp
  bool present = false;
  std::string state;       // running, stopped, start-pending, ...
  std::string start_type;  // auto, manual, disabled
  std::string error;
};

struct ListenerSettings {
  std::optional<bool> deny_connections;         // fDenyTSConnections
  std::optional<bool> nla_required;             // UserAuthentication
  std::optional<std::uint32_t> security_layer;  // 0 RDP, 1 Negotiate, 2 TLS (xrdp: mapped the same way)
  std::optional<std::uint16_t> port;            // PortNumber / xrdp.ini port
  std::string address;                          // xrdp: the address it binds to
  std::optional<std::uint32_t> min_encryption_level;
  std::string ssl_protocols;     // xrdp.ini
  std::string certificate_path;  // xrdp.ini certificate / key_file (resolved)
  std::string key_path;
  std::string error;
  std::vector<RefusedPath> refused;  // moved into HostState::refused_paths by inspect_host
};

// The probe of the host's own listener, as far as diagnosis needs it.
struct SelfProbe {
  std::string target;
  std::string verdict;
  std::vector<std::string> causes;
};

// The user sessions a restart of the RDP service would end or disconnect (inspect/sessions.h).
struct SessionCounts {
  int active = 0;        // a client is connected (or signing in)
  int disconnected = 0;  // the session runs on with no client
  int total() const { return active + disconnected; }
  bool operator==(const SessionCounts&) const = default;
};

// Schannel's server-side protocol switches (Windows: SCHANNEL\Protocols\<protocol>\Server, Enabled and
// DisabledByDefault; an absent value is the OS default). inspect/schannel.h reads them; schannel_rules.h
// judges them.
struct SchannelProtocol {
  std::string protocol;                     // "TLS 1.0" .. "TLS 1.3"
  std::optional<bool> enabled;              // Enabled: 0 off, nonzero on; unset: absent (the OS default)
  std::optional<bool> disabled_by_default;  // DisabledByDefault: 1 used only when an application asks
  bool operator==(const SchannelProtocol&) const = default;
};

struct SchannelState {
  std::vector<SchannelProtocol> server;
  // Whether the listener can offer TLS 1.2 or 1.3, the protocols current RDP clients negotiate
  // (schannel_rules.h); unset: unknown.
  std::optional<bool> offers_current_tls;
  // What an administrator runs to turn TLS 1.2 back on for servers when it is off (RdpMend never does:
  // a protocol may have been turned off on purpose, and the change needs a reboot).
  std::vector<std::string> restore_commands;
  std::string error;
};

struct HostState {
  std::string platform;  // "windows", "xrdp", or the snapshot's platform under sim
  std::string hostname;
  std::string service_account;  // NETWORK SERVICE; the xrdp user
  ListenerCertificate certificate;
  std::optional<AclCheck> machinekeys_acl;  // Windows only
  std::optional<AclCheck> rdp_key_acl;      // the RDP key file (f686aace..._<MachineGuid>) / xrdp's key file
  FirewallState firewall;
  std::vector<ServiceState> services;
  ListenerSettings listener;
  std::optional<SelfProbe> self_probe;
  std::optional<SessionCounts> sessions;  // unset: unknown
  std::optional<SchannelState> schannel;  // Windows only; unset: not inspected
  std::vector<RefusedPath> refused_paths;
  std::vector<std::string> errors;  // what could not be inspected, and why

  const ServiceState* service(const std::string& name) const;
};

}  // namespace rdpmend::inspect
