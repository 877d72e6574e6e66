#include "inspect/sim/sim_host.h"

#include "inspect/host_state_json.h"
#include "inspect/schannel_rules.h"

namespace rdpmend::inspect {
namespace {

using Snapshot = std::shared_ptr<HostState>;

class SimListener final : public ListenerSettingsReader {
 public:
  explicit SimListener(Snapshot s) : s_(std::move(s)) {}
  ListenerSettings read() override { return s_->listener; }

 private:
  Snapshot s_;
};

class SimCertificate final : public CertificateInspector {
 public:
  explicit SimCertificate(Snapshot s) : s_(std::move(s)) {}
  ListenerCertificate inspect(const ListenerSettings&, std::chrono::system_clock::time_point, int) override {
    return s_->certificate;  // as recorded: a snapshot is a point in time
  }

 private:
  Snapshot s_;
};

class SimKeyAccess final : public KeyAccessInspector {
 public:
  explicit SimKeyAccess(Snapshot s) : s_(std::move(s)) {}
  std::optional<AclCheck> machinekeys_folder() override { return s_->machinekeys_acl; }
  std::optional<AclCheck> rdp_key_file(const ListenerCertificate&) override { return s_->rdp_key_acl; }

 private:
  Snapshot s_;
};

class SimFirewall final : public FirewallInspector {
 public:
  explicit SimFirewall(Snapshot s) : s_(std::move(s)) {}
  FirewallState inspect(const ListenerSettings&) override { return s_->firewall; }

 private:
  Snapshot s_;
};

class SimServices final : public ServiceInspector {
 public:
  explicit SimServices(Snapshot s) : s_(std::move(s)) {}
  std::vector<ServiceState> inspect(const ListenerSettings&) override { return s_->services; }

 private:
  Snapshot s_;
};

class SimSessions final : public SessionInspector {
 public:
  explicit SimSessions(Snapshot s) : s_(std::move(s)) {}
  Result<std::optional<SessionCounts>> count() override { return s_->sessions; }

 private:
  Snapshot s_;
};

// The snapshot's switches, judged as on Windows (a snapshot need not carry the verdict).
class SimSchannel final : public SchannelInspector {
 public:
  explicit SimSchannel(Snapshot s) : s_(std::move(s)) {}
  SchannelState inspect() override {
    SchannelState state;
    if (s_->schannel)
      state = *s_->schannel;
    else
      state.error = "the snapshot has no schannel";
    judge_schannel(state);
    return state;
  }

 private:
  Snapshot s_;
};

}  // namespace

std::unique_ptr<Host> make_sim_host(HostState snapshot) {
  return make_sim_host(std::make_shared<HostState>(std::move(snapshot)));
}

std::unique_ptr<Host> make_sim_host(std::shared_ptr<HostState> s) {
  auto host = std::make_unique<Host>();
  host->platform = s->platform;
  host->hostname = s->hostname;
  host->service_account = s->service_account;
  host->listener = std::make_unique<SimListener>(s);
  host->certificate = std::make_unique<SimCertificate>(s);
  host->key_access = std::make_unique<SimKeyAccess>(s);
  host->firewall = std::make_unique<SimFirewall>(s);
  host->services = std::make_unique<SimServices>(s);
  host->sessions = std::make_unique<SimSessions>(s);
  if (s->schannel) host->schannel = std::make_unique<SimSchannel>(s);
  host->probe_listener = [s](const ListenerSettings&) { return s->self_probe; };
  host->trust_checks = [s] { return s->refused_paths; };
  return host;
}

Result<std::unique_ptr<Host>> make_sim_host(const std::filesystem::path& snapshot) {
  auto state = load_snapshot(snapshot);
  if (!state) return state.error();
  return make_sim_host(std::move(state).value());
}

}  // namespace rdpmend::inspect
