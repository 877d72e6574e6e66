// The xrdp host: each port implemented from xrdp.ini, the files it names, nftables and /proc.

#include <unistd.h>
#include <algorithm>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include <openssl/x509.h>

#include "catalog/catalog_ids.h"
#include "inspect/host.h"
#include "inspect/linux/nft_ruleset.h"
#include "inspect/linux/posix_access.h"
#include "inspect/linux/process_table.h"
#include "inspect/linux/run_command.h"
#include "inspect/linux/sessions.h"
#include "inspect/linux/xrdp_ini.h"
#include "probe/openssl_util.h"
#include "security/program_trust.h"
#include "security/trusted_file.h"

namespace rdpmend::inspect {
namespace {

using namespace linux_host;

class XrdpListener final : public ListenerSettingsReader {
 public:
  explicit XrdpListener(std::string ini) : ini_(std::move(ini)) {}
  ListenerSettings read() override {
    // xrdp.ini names the files root changes: it is believed only when no other account could have written it.
    auto text = security::read_trusted_file(ini_);
    if (!text) {
      ListenerSettings s;
      s.error = text.error().message();
      if (text.error().reason != security::Refusal::kNotFound)
        s.refused.push_back(refused_path(kRoleListenerSettings, ini_, text.error()));
      return s;
    }
    return parse_xrdp_ini_text(text.value(), ini_);
  }

 private:
  std::string ini_;
};

// A file that exists and was opened, but is not what it should be: refused, so nothing replaces it.
RefusedPath content_refusal(const char* role, const std::string& path, std::string reason,
                            std::string detail) {
  RefusedPath r;
  r.role = role;
  r.path = path;
  r.reason = std::move(reason);
  r.component = path;
  r.detail = std::move(detail);
  return r;
}

class XrdpCertificate final : public CertificateInspector {
 public:
  explicit XrdpCertificate(std::string user) : user_(std::move(user)) {}

  ListenerCertificate inspect(const ListenerSettings& listener, std::chrono::system_clock::time_point now,
                              int expiring_within_days) override {
    ListenerCertificate c;
    c.source = "xrdp-ini";
    c.location = listener.certificate_path;
    // Looked up at each inspection: the user's groups change (repair-rdp-key-acl in user-group mode).
    auto looked_up = lookup_account(user_);
    const Account* account = looked_up ? &looked_up.value() : nullptr;
    if (!account) c.error = looked_up.error().message();
    if (listener.certificate_path.empty() || listener.key_path.empty()) {
      c.error = "xrdp.ini could not be read";
      return c;
    }
    auto key_file = open_and_inspect(listener.key_path, account, security::Use::kChange);
    c.key = key_file.state;
    if (key_file.refused) c.refused.push_back(refused_path(kRoleKey, listener.key_path, *key_file.refused));
    auto key = read_private_key(key_file, listener.key_path, c);

    auto cert_file = open_and_inspect(listener.certificate_path, account, security::Use::kChange);
    if (cert_file.refused) {
      c.refused.push_back(refused_path(kRoleCertificate, listener.certificate_path, *cert_file.refused));
      c.error = "certificate: " + cert_file.state.error;
      return c;
    }
    if (!cert_file.file) {
      c.error = "certificate " + listener.certificate_path + ": " + cert_file.state.error;
      return c;
    }
    auto pem = security::read_all(*cert_file.file);
    probe::X509Ptr cert = pem ? probe::parse_pem_certificate(pem.value()) : nullptr;
    if (!cert) {
      std::string why = pem ? "not a PEM certificate: " + probe::openssl_error_text() : pem.error().message();
      c.refused.push_back(content_refusal(
          kRoleCertificate, listener.certificate_path,
          pem ? std::string(kNotACertificate) : std::string(security::refusal_id(pem.error().reason)), why));
      c.error = "certificate " + listener.certificate_path + " is " + why;
      return c;
    }
    if (cert_file.state.readable_by_service == false) {
      c.error = "the service account cannot read the certificate file " + listener.certificate_path;
      return c;  // xrdp cannot load it: for the listener there is no certificate
    }
    c.present = true;
    int len = i2d_X509(cert.get(), nullptr);
    std::vector<std::uint8_t> der(static_cast<std::size_t>(len > 0 ? len : 0));
    unsigned char* p = der.data();
    if (len > 0) i2d_X509(cert.get(), &p);
    auto info = probe::describe_certificate(der, now, expiring_within_days);
    if (info)
      c.info = std::move(info).value();
    else
      c.error = info.error().message();
    if (key) c.key_matches = X509_check_private_key(cert.get(), key.get()) == 1;
    return c;
  }

 private:
  // The key's content, when the file was opened: a file that is there but is no private key is refused,
  // so that neither its permissions are widened nor the file replaced.
  static probe::PkeyPtr read_private_key(InspectedFile& key_file, const std::string& path,
                                         ListenerCertificate& c) {
    if (!key_file.file) return nullptr;
    auto pem = security::read_all(*key_file.file);
    if (!pem) {
      c.refused.push_back(refused_path(kRoleKey, path, pem.error()));
      c.error = "key " + path + ": " + pem.error().message();
      return nullptr;
    }
    auto key = probe::parse_pem_private_key(pem.value());
    if (!key) {
      std::string why = "not a PEM private key: " + probe::openssl_error_text();
      c.refused.push_back(content_refusal(kRoleKey, path, kNotAPrivateKey, why));
      c.error = "key " + path + " is " + why;
    }
    return key;
  }

  std::string user_;
};

class XrdpKeyAccess final : public KeyAccessInspector {
 public:
  std::optional<AclCheck> machinekeys_folder() override { return std::nullopt; }

  // The key file's documented default: readable by the xrdp user (Debian: root:ssl-cert 0640 with the
  // xrdp user in ssl-cert, or owned by xrdp 0600), and by nobody else.
  std::optional<AclCheck> rdp_key_file(const ListenerCertificate& certificate) override {
    AclCheck check;
    check.file = certificate.key;
    if (!check.file.exists) return check;
    if (check.file.readable_by_service == false) check.differences.push_back("the xrdp user cannot read it");
    if (check.file.mode && (*check.file.mode & 0007))
      check.differences.push_back("others have access (mode " + octal(*check.file.mode) + ")");
    if (check.file.readable_by_service.has_value()) check.matches_default = check.differences.empty();
    return check;
  }

 private:
  static std::string octal(std::uint32_t mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o", mode & 07777u);
    return buf;
  }
};

class NftFirewall final : public FirewallInspector {
 public:
  FirewallState inspect(const ListenerSettings& listener) override {
    auto out = run_command({"nft", "-j", "list", "ruleset"}, std::chrono::seconds(5));
    FirewallState fw;
    if (!out) {
      fw.error = out.error().message();
      return fw;
    }
    if (out.value().exit_status != 0) {
      fw.error = "nft -j list ruleset failed: " + out.value().err.substr(0, 300);
      return fw;
    }
    auto judged = judge_nft_ruleset(out.value().out, listener.port.value_or(3389));
    if (!judged) {
      fw.error = judged.error().message();
      return fw;
    }
    return std::move(judged).value();
  }
};

class XrdpService final : public ServiceInspector {
 public:
  std::vector<ServiceState> inspect(const ListenerSettings& listener) override {
    ServiceState s;
    s.name = ids::rdp_service::kXrdp;
    s.present = access("/usr/sbin/xrdp", X_OK) == 0;
    if (!s.present) {
      s.error = "/usr/sbin/xrdp is not installed";
      return {s};
    }
    bool running = process_running("xrdp");
    bool listening = listener.port && port_listening(*listener.port);
    s.state = running ? (listening ? "running" : "running-not-listening") : "stopped";
    return {s};
  }

 private:
  static bool process_running(const std::string& comm) {
    auto processes = read_process_table();
    if (!processes) return false;
    return std::any_of(processes.value().begin(), processes.value().end(),
                       [&](const ProcessEntry& p) { return p.comm == comm; });
  }

  // /proc/net/tcp{,6}: a socket in LISTEN (0A) on the port.
  static bool port_listening(std::uint16_t port) {
    for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
      std::ifstream in(file);
      std::string line;
      std::getline(in, line);
      while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state;
        fields >> slot >> local >> remote >> state;
        auto colon = local.rfind(':');
        if (colon == std::string::npos || state != "0A") continue;
        if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) return true;
      }
    }
    return false;
  }
};

}  // namespace

Result<std::unique_ptr<Host>> make_local_host(const LocalHostConfig& config) {
  auto host = std::make_unique<Host>();
  host->platform = "xrdp";
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  host->hostname = name;
  host->service_account = config.xrdp_user;
  host->listener = std::make_unique<XrdpListener>(config.xrdp_ini);
  host->certificate = std::make_unique<XrdpCertificate>(config.xrdp_user);
  host->key_access = std::make_unique<XrdpKeyAccess>();
  host->firewall = std::make_unique<NftFirewall>();
  host->services = std::make_unique<XrdpService>();
  host->sessions = make_xrdp_session_inspector();
  if (!config.restart_command.empty())
    host->trust_checks = [argv = config.restart_command]() -> std::vector<RefusedPath> {
      if (auto refused = security::check_program(argv))
        return {refused_path(kRoleRestartProgram, refused->path, *refused)};
      return {};
    };
  host->probe_listener = [](const ListenerSettings& l) -> std::optional<SelfProbe> {
    if (!l.port) return std::nullopt;
    return probe_local_listener(l);
  };
  return host;
}

}  // namespace rdpmend::inspect
