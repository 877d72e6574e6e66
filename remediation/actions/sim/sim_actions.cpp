#include "actions/sim/sim_actions.h"

#include <functional>

#include "catalog/catalog_ids.h"
#include "inspect/host_state_json.h"
#include "util/json_text.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;

constexpr const char* kMachineKeysDefault = "O:SYG:SYD:PAI(A;;0x12019f;;;WD)(A;;FA;;;BA)";

inspect::ServiceState* rdp_service(HostState& s) {
  for (auto& svc : s.services)
    if (svc.name == ids::rdp_service_for(s.platform)) return &svc;
  return nullptr;
}

// One simulated action: which part of the state it owns (backed up and restored whole), its checks,
// its change and its verification, as functions over the state.
struct SimSpec {
  std::string id;
  bool reversible = true;
  std::function<std::string(const HostState&)> target;
  std::function<Status(const HostState&)> check;
  std::function<void(HostState&, const SimFaults&)> change;
  std::function<Status(const HostState&)> verify;
  std::vector<std::string> facets;  // top-level keys of the snapshot JSON this action owns
  // After the change: whether the listener serves it at once (no restart needed for it).
  std::function<bool(const HostState&)> served_without_restart = [](const HostState&) { return false; };
};

class SimAction final : public Action {
 public:
  SimAction(SimSpec spec, std::shared_ptr<HostState> state, std::shared_ptr<SimFaults> faults,
            SimChanged changed)
      : spec_(std::move(spec)),
        state_(std::move(state)),
        faults_(std::move(faults)),
        changed_(std::move(changed)) {}
  std::string_view id() const override { return spec_.id; }
  std::string target(const HostState& s) const override { return spec_.target(s); }
  Status check(const HostState& s) override { return spec_.check(s); }
  Result<Backup> backup(const HostState&) override {
    auto all = Json::parse(util::json_text(inspect::host_state_to_json(*state_)));
    Json saved = Json::object();
    for (const auto& f : spec_.facets) saved[f] = all[f];
    return Backup{saved};
  }
  Status apply(const HostState&, const Backup&) override {
    if (faults_ && faults_->fail_apply == spec_.id) return Error{spec_.id, "sim", "injected apply failure"};
    if (faults_ && faults_->apply_without_effect == spec_.id) return Ok{};
    spec_.change(*state_, faults_ ? *faults_ : SimFaults{});
    served_ = spec_.served_without_restart(*state_);
    if (changed_) changed_(*state_);
    return Ok{};
  }
  bool served_without_restart() const override { return served_; }
  Status verify(const HostState& after) override { return spec_.verify(after); }
  bool reversible() const override { return spec_.reversible; }
  Status rollback(const Backup& b) override {
    auto all = Json::parse(util::json_text(inspect::host_state_to_json(*state_)));
    for (const auto& [key, value] : b.data.items()) all[key] = value;
    auto restored = inspect::host_state_from_json(all, "sim rollback");
    if (!restored) return restored.error();
    *state_ = std::move(restored).value();
    if (changed_) changed_(*state_);
    return Ok{};
  }

 private:
  SimSpec spec_;
  std::shared_ptr<HostState> state_;
  std::shared_ptr<SimFaults> faults_;
  SimChanged changed_;
  bool served_ = false;
};

Status ok_if(bool condition, const std::string& what, const std::string& why) {
  if (condition) return Ok{};
  return Error{what, "sim", why};
}

// A new self-signed listener certificate with its key, as TermService, SessionEnv or xrdp's actions make.
void make_self_signed(HostState& s) {
  s.certificate.pinned_by_hash = false;  // a hash pinned to the old one was cleared with it (as on Windows)
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  probe::CertificateInfo info;
  info.subject = info.issuer = "CN=" + s.hostname;
  info.not_before = now;
  info.not_after = now + std::chrono::hours(24 * 365);
  info.days_left = 365;
  info.self_signed = true;
  info.key_type = "RSA";
  info.key_bits = 2048;
  info.sha1 = "5151515151515151515151515151515151515151";
  s.certificate.present = true;
  s.certificate.info = info;
  s.certificate.key.exists = true;
  s.certificate.key.readable_by_service = true;
  s.certificate.key_matches = true;
  s.certificate.error.clear();
  if (s.self_probe && s.self_probe->verdict != "ok" && s.self_probe->verdict != "nla-required")
    s.self_probe->verdict = "ok";
}

std::vector<SimSpec> specs() {
  std::vector<SimSpec> out;
  out.push_back(
      {ids::action::kRepairMachinekeysAcl,
       true,
       [](const HostState& s) { return s.machinekeys_acl ? s.machinekeys_acl->file.path : std::string(); },
       [](const HostState& s) -> Status {
         if (!s.machinekeys_acl)
           return Error{ids::action::kRepairMachinekeysAcl, "sim", "no MachineKeys folder"};
         // A junction at MachineKeys is refused, never followed; renaming the folder is not an option.
         return ok_if(!s.machinekeys_acl->file.is_link, ids::action::kRepairMachinekeysAcl,
                      "MachineKeys is a reparse point: refusing to change permissions through it");
       },
       [](HostState& s, const SimFaults&) {
         s.machinekeys_acl->file.sddl = kMachineKeysDefault;
         s.machinekeys_acl->matches_default = true;
         s.machinekeys_acl->differences.clear();
       },
       [](const HostState& s) {
         return ok_if(s.machinekeys_acl && s.machinekeys_acl->matches_default == true,
                      "verify repair-machinekeys-acl", "the folder ACL still differs from the default");
       },
       {"machinekeys_acl"},
       [](const HostState&) { return true; }});  // as on Windows: no restart needed for the folder's DACL
  out.push_back({ids::action::kRepairRdpKeyAcl,
                 true,
                 [](const HostState& s) { return s.certificate.key.path; },
                 [](const HostState& s) -> Status {
                   if (!s.certificate.key.exists)
                     return Error{ids::action::kRepairRdpKeyAcl, "sim", "the key file does not exist"};
                   return ok_if(!s.certificate.key.is_link, ids::action::kRepairRdpKeyAcl,
                                "the key file is a link: refusing to change permissions through it");
                 },
                 [](HostState& s, const SimFaults&) {
                   s.certificate.key.readable_by_service = true;
                   if (s.rdp_key_acl) {
                     s.rdp_key_acl->file.readable_by_service = true;
                     s.rdp_key_acl->matches_default = true;
                     s.rdp_key_acl->differences.clear();
                   }
                 },
                 [](const HostState& s) {
                   return ok_if(s.certificate.key.readable_by_service == true, "verify repair-rdp-key-acl",
                                "the service still cannot read the key");
                 },
                 {"certificate", "rdp_key_acl"}});
  // The target is where the listener's certificate lives, not the certificate: a new thumbprint is the
  // same target, so cooldowns and the breaker hold across regenerations.
  out.push_back({ids::action::kRegenerateRdpCert,
                 true,
                 [](const HostState& s) {
                   auto slash = s.certificate.location.rfind('\\');
                   return s.certificate.source == "self-signed" && slash != std::string::npos
                              ? s.certificate.location.substr(0, slash)
                              : s.certificate.location;
                 },
                 [](const HostState& s) -> Status {
                   // As on Windows: a certificate the listener is configured to use is never replaced.
                   if (s.platform == "windows" && s.certificate.source != "self-signed")
                     return Error{ids::action::kRegenerateRdpCert, s.certificate.location,
                                  "refused: the listener's certificate is '" + s.certificate.source +
                                      "'; RdpMend only replaces the self-signed default"};
                   return ok_if(!s.certificate.info || s.certificate.info->self_signed,
                                ids::action::kRegenerateRdpCert,
                                "the certificate is CA-issued: only self-signed certificates are replaced");
                 },
                 [](HostState& s, const SimFaults& faults) {
                   // Windows: the certificate leaves the store and SessionEnv, restarted, makes the new one
                   // without ending a session (docs/SESSIONS.md); when it makes none, TermService does at its
                   // next start.
                   if (s.platform == "windows" && faults.session_env_makes_no_certificate) {
                     s.certificate.present = false;
                     s.certificate.info.reset();
                     return;
                   }
                   make_self_signed(s);
                 },
                 [](const HostState& s) {
                   if (s.platform == "windows" && !s.certificate.present)
                     return Status{Ok{}};  // TermService makes it
                   return ok_if(s.certificate.present && s.certificate.info && !s.certificate.info->expired &&
                                    s.certificate.key_matches == true,
                                "verify regenerate-rdp-cert", "no valid certificate with a matching key");
                 },
                 {"certificate", "self_probe"},
                 [](const HostState& s) { return s.platform == "windows" && s.certificate.present; }});
  out.push_back({ids::action::kRestoreFirewallRules,
                 true,
                 [](const HostState&) { return std::string("RemoteDesktop-UserMode-In-*"); },
                 [](const HostState&) -> Status { return Ok{}; },
                 [](HostState& s, const SimFaults&) {
                   for (auto& r : s.firewall.rules) {
                     r.present = true;
                     r.enabled = true;
                   }
                   if (s.firewall.blocks_rdp_port) s.firewall.blocks_rdp_port = false;
                   s.firewall.restore_commands.clear();  // nothing is left to do by hand
                 },
                 [](const HostState& s) {
                   bool ok = s.firewall.blocks_rdp_port != true;
                   for (const auto& r : s.firewall.rules) ok = ok && r.present && r.enabled == true;
                   return ok_if(ok, "verify restore-firewall-rules",
                                "a Remote Desktop rule is still missing or off");
                 },
                 {"firewall"}});
  for (const char* id : {ids::action::kStartRdpService, ids::action::kRestartRdpService}) {
    out.push_back(
        {id,
         false,
         [](const HostState& s) { return std::string(ids::rdp_service_for(s.platform)); },
         [](const HostState& s) {
           return ok_if(rdp_service(const_cast<HostState&>(s)) != nullptr, "service",
                        "the RDP service is not installed");
         },
         [](HostState& s, const SimFaults&) {
           rdp_service(s)->state = "running";
           // TermService makes the self-signed certificate when it starts without one.
           if (s.platform == "windows" && !s.certificate.present && s.certificate.source == "self-signed")
             make_self_signed(s);
         },
         [](const HostState& s) {
           auto* svc = rdp_service(const_cast<HostState&>(s));
           return ok_if(svc && svc->state == "running", "verify service", "the RDP service is not running");
         },
         {"services"}});
  }
  return out;
}

}  // namespace

ActionSet make_sim_actions(std::shared_ptr<HostState> state, std::shared_ptr<SimFaults> faults,
                           SimChanged changed) {
  ActionSet set;
  for (auto& spec : specs()) set.add(std::make_unique<SimAction>(std::move(spec), state, faults, changed));
  return set;
}

}  // namespace rdpmend::actions
