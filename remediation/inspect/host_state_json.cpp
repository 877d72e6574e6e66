#include "inspect/host_state_json.h"

#include <chrono>
#include <cstdio>

#include "probe/probe_json.h"
#include "security/trusted_file.h"

namespace rdpmend::inspect {
namespace {

using Json = nlohmann::ordered_json;
using In = nlohmann::json;

template <typename T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json file_json(const FileState& f) {
  return {{"path", f.path},       {"exists", f.exists},
          {"is_link", f.is_link}, {"readable_by_service", opt(f.readable_by_service)},
          {"owner", f.owner},     {"group", f.group},
          {"mode", opt(f.mode)},  {"sddl", f.sddl},
          {"error", f.error}};
}

Json acl_json(const std::optional<AclCheck>& a) {
  if (!a) return nullptr;
  return {{"file", file_json(a->file)},
          {"matches_default", opt(a->matches_default)},
          {"differences", a->differences}};
}

// --- reading, with the path of every value in errors ---

struct Bad {
  std::string path;
  std::string message;
};

const In* member(const In& obj, const char* key, const std::string& path) {
  if (!obj.is_object()) throw Bad{path, "must be an object"};
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

template <typename T>
void read(const In& obj, const char* key, const std::string& path, T& out) {
  const In* v = member(obj, key, path);
  if (!v) return;
  std::string p = path + "/" + key;
  if constexpr (std::is_same_v<T, bool>) {
    if (!v->is_boolean()) throw Bad{p, "must be true or false"};
    out = v->get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v->is_string()) throw Bad{p, "must be a string"};
    out = v->get<std::string>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!v->is_number_integer()) throw Bad{p, "must be a whole number"};
    auto n = v->get<std::int64_t>();
    if (n < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
        n > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
      throw Bad{p, "is out of range"};
    out = static_cast<T>(n);
  } else {
    static_assert(sizeof(T) == 0, "unsupported type");
  }
}

template <typename T>
void read_opt(const In& obj, const char* key, const std::string& path, std::optional<T>& out) {
  if (!member(obj, key, path)) return;
  T value{};
  read(obj, key, path, value);
  out = value;
}

void read_strings(const In& obj, const char* key, const std::string& path, std::vector<std::string>& out) {
  const In* v = member(obj, key, path);
  if (!v) return;
  if (!v->is_array()) throw Bad{path + "/" + key, "must be a list of strings"};
  for (const auto& s : *v) {
    if (!s.is_string()) throw Bad{path + "/" + key, "must be a list of strings"};
    out.push_back(s.get<std::string>());
  }
}

FileState file_from(const In& j, const std::string& path) {
  FileState f;
  read(j, "path", path, f.path);
  read(j, "exists", path, f.exists);
  read(j, "is_link", path, f.is_link);
  read_opt(j, "readable_by_service", path, f.readable_by_service);
  read(j, "owner", path, f.owner);
  read(j, "group", path, f.group);
  read_opt(j, "mode", path, f.mode);
  read(j, "sddl", path, f.sddl);
  read(j, "error", path, f.error);
  return f;
}

std::optional<AclCheck> acl_from(const In& j, const char* key, const std::string& path) {
  const In* v = member(j, key, path);
  if (!v) return std::nullopt;
  std::string p = path + "/" + key;
  AclCheck a;
  if (const In* f = member(*v, "file", p)) a.file = file_from(*f, p + "/file");
  read_opt(*v, "matches_default", p, a.matches_default);
  read_strings(*v, "differences", p, a.differences);
  return a;
}

std::chrono::system_clock::time_point parse_utc(const std::string& text, const std::string& path) {
  int y, mo, d, h, mi, s;
  char z = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z')
    throw Bad{path, "must be a UTC time like 2026-01-31T12:00:00Z"};
  using namespace std::chrono;
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) throw Bad{path, "is not a valid date and time"};
  return sys_days{date} + hours{h} + minutes{mi} + seconds{s};
}

probe::CertificateInfo certificate_from(const In& j, const std::string& path) {
  probe::CertificateInfo c;
  read(j, "subject", path, c.subject);
  read(j, "issuer", path, c.issuer);
  read_strings(j, "subject_alt_names", path, c.subject_alt_names);
  read(j, "serial", path, c.serial_hex);
  std::string nb, na;
  read(j, "not_before", path, nb);
  read(j, "not_after", path, na);
  if (nb.empty() || na.empty()) throw Bad{path, "needs not_before and not_after"};
  c.not_before = parse_utc(nb, path + "/not_before");
  c.not_after = parse_utc(na, path + "/not_after");
  read(j, "days_left", path, c.days_left);
  read(j, "expired", path, c.expired);
  read(j, "not_yet_valid", path, c.not_yet_valid);
  read(j, "expiring", path, c.expiring);
  read(j, "self_signed", path, c.self_signed);
  read(j, "key_type", path, c.key_type);
  read(j, "key_bits", path, c.key_bits);
  read(j, "signature_algorithm", path, c.signature_algorithm);
  read(j, "sha1", path, c.sha1);
  read(j, "sha256", path, c.sha256);
  if (const In* ekus = member(j, "extended_key_usages", path)) {
    if (!ekus->is_array()) throw Bad{path + "/extended_key_usages", "must be a list"};
    c.has_eku_extension = true;
    for (const auto& e : *ekus) {
      probe::ExtendedKeyUsage eku;
      read(e, "oid", path + "/extended_key_usages", eku.oid);
      read(e, "name", path + "/extended_key_usages", eku.name);
      c.extended_key_usages.push_back(eku);
    }
  }
  return c;
}

HostState state_from(const In& j) {
  const std::string root;
  if (!j.is_object()) throw Bad{"/", "a snapshot must be a JSON object"};
  int version = 0;
  read(j, "snapshot_version", root, version);
  if (version != kSnapshotVersion)
    throw Bad{"/snapshot_version", "must be " + std::to_string(kSnapshotVersion)};
  HostState s;
  read(j, "platform", root, s.platform);
  if (s.platform != "windows" && s.platform != "xrdp")
    throw Bad{"/platform", "must be \"windows\" or \"xrdp\""};
  read(j, "hostname", root, s.hostname);
  read(j, "service_account", root, s.service_account);
  if (const In* c = member(j, "certificate", root)) {
    const std::string p = "/certificate";
    read(*c, "source", p, s.certificate.source);
    read(*c, "location", p, s.certificate.location);
    read(*c, "present", p, s.certificate.present);
    if (const In* info = member(*c, "info", p)) s.certificate.info = certificate_from(*info, p + "/info");
    if (const In* key = member(*c, "key", p)) s.certificate.key = file_from(*key, p + "/key");
    read_opt(*c, "key_matches", p, s.certificate.key_matches);
    read(*c, "pinned_by_hash", p, s.certificate.pinned_by_hash);
    read(*c, "error", p, s.certificate.error);
  }
  s.machinekeys_acl = acl_from(j, "machinekeys_acl", root);
  s.rdp_key_acl = acl_from(j, "rdp_key_acl", root);
  if (const In* f = member(j, "firewall", root)) {
    const std::string p = "/firewall";
    read_opt(*f, "active", p, s.firewall.active);
    read_opt(*f, "blocks_rdp_port", p, s.firewall.blocks_rdp_port);
    read(*f, "detail", p, s.firewall.detail);
    read(*f, "error", p, s.firewall.error);
    read_strings(*f, "restore_commands", p, s.firewall.restore_commands);
    if (const In* rules = member(*f, "rules", p)) {
      if (!rules->is_array()) throw Bad{p + "/rules", "must be a list"};
      int i = 0;
      for (const auto& r : *rules) {
        std::string rp = p + "/rules/" + std::to_string(i++);
        FirewallRule rule;
        read(r, "name", rp, rule.name);
        read(r, "present", rp, rule.present);
        read_opt(r, "enabled", rp, rule.enabled);
        read(r, "profiles", rp, rule.profiles);
        read(r, "local_ports", rp, rule.local_ports);
        s.firewall.rules.push_back(rule);
      }
    }
  }
  if (const In* services = member(j, "services", root)) {
    if (!services->is_array()) throw Bad{"/services", "must be a list"};
    int i = 0;
    for (const auto& v : *services) {
      std::string sp = "/services/" + std::to_string(i++);
      ServiceState svc;
      read(v, "name", sp, svc.name);
      read(v, "present", sp, svc.present);
      read(v, "state", sp, svc.state);
      read(v, "start_type", sp, svc.start_type);
      read(v, "error", sp, svc.error);
      s.services.push_back(svc);
    }
  }
  if (const In* l = member(j, "listener", root)) {
    const std::string p = "/listener";
    read_opt(*l, "deny_connections", p, s.listener.deny_connections);
    read_opt(*l, "nla_required", p, s.listener.nla_required);
    read_opt(*l, "security_layer", p, s.listener.security_layer);
    read_opt(*l, "port", p, s.listener.port);
    read(*l, "address", p, s.listener.address);
    read_opt(*l, "min_encryption_level", p, s.listener.min_encryption_level);
    read(*l, "ssl_protocols", p, s.listener.ssl_protocols);
    read(*l, "certificate_path", p, s.listener.certificate_path);
    read(*l, "key_path", p, s.listener.key_path);
    read(*l, "error", p, s.listener.error);
  }
  if (const In* p = member(j, "self_probe", root)) {
    SelfProbe probe;
    read(*p, "target", "/self_probe", probe.target);
    read(*p, "verdict", "/self_probe", probe.verdict);
    read_strings(*p, "causes", "/self_probe", probe.causes);
    s.self_probe = probe;
  }
  if (const In* sessions = member(j, "sessions", root)) {
    SessionCounts counts;
    read(*sessions, "active", "/sessions", counts.active);
    read(*sessions, "disconnected", "/sessions", counts.disconnected);
    if (counts.active < 0 || counts.disconnected < 0) throw Bad{"/sessions", "a count cannot be negative"};
    s.sessions = counts;
  }
  if (const In* c = member(j, "schannel", root)) {
    const std::string p = "/schannel";
    SchannelState schannel;
    if (const In* server = member(*c, "server", p)) {
      if (!server->is_array()) throw Bad{p + "/server", "must be a list"};
      int i = 0;
      for (const auto& v : *server) {
        const std::string vp = p + "/server/" + std::to_string(i++);
        SchannelProtocol protocol;
        read(v, "protocol", vp, protocol.protocol);
        read_opt(v, "enabled", vp, protocol.enabled);
        read_opt(v, "disabled_by_default", vp, protocol.disabled_by_default);
        schannel.server.push_back(protocol);
      }
    }
    read_opt(*c, "offers_current_tls", p, schannel.offers_current_tls);
    read_strings(*c, "restore_commands", p, schannel.restore_commands);
    read(*c, "error", p, schannel.error);
    s.schannel = schannel;
  }
  if (const In* list = member(j, "refused_paths", root)) {
    if (!list->is_array()) throw Bad{"/refused_paths", "must be a list"};
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string p = "/refused_paths/" + std::to_string(i);
      const In& r = (*list)[i];
      RefusedPath refused;
      read(r, "role", p, refused.role);
      read(r, "path", p, refused.path);
      read(r, "reason", p, refused.reason);
      read(r, "component", p, refused.component);
      read(r, "owner", p, refused.owner);
      read(r, "group", p, refused.group);
      read_opt(r, "mode", p, refused.mode);
      read(r, "detail", p, refused.detail);
      s.refused_paths.push_back(std::move(refused));
    }
  }
  read_strings(j, "errors", root, s.errors);
  return s;
}

}  // namespace

Json host_state_to_json(const HostState& s) {
  Json j;
  j["snapshot_version"] = kSnapshotVersion;
  j["platform"] = s.platform;
  j["hostname"] = s.hostname;
  j["service_account"] = s.service_account;
  const auto& c = s.certificate;
  j["certificate"] = {{"source", c.source},
                      {"location", c.location},
                      {"present", c.present},
                      {"info", c.info ? probe::certificate_to_json(*c.info) : Json(nullptr)},
                      {"key", file_json(c.key)},
                      {"key_matches", opt(c.key_matches)},
                      {"pinned_by_hash", c.pinned_by_hash},
                      {"error", c.error}};
  j["machinekeys_acl"] = acl_json(s.machinekeys_acl);
  j["rdp_key_acl"] = acl_json(s.rdp_key_acl);
  auto rules = Json::array();
  for (const auto& r : s.firewall.rules)
    rules.push_back({{"name", r.name},
                     {"present", r.present},
                     {"enabled", opt(r.enabled)},
                     {"profiles", r.profiles},
                     {"local_ports", r.local_ports}});
  j["firewall"] = {{"active", opt(s.firewall.active)},
                   {"rules", rules},
                   {"blocks_rdp_port", opt(s.firewall.blocks_rdp_port)},
                   {"detail", s.firewall.detail},
                   {"error", s.firewall.error},
                   {"restore_commands", s.firewall.restore_commands}};
  auto services = Json::array();
  for (const auto& v : s.services)
    services.push_back({{"name", v.name},
                        {"present", v.present},
                        {"state", v.state},
                        {"start_type", v.start_type},
                        {"error", v.error}});
  j["services"] = services;
  const auto& l = s.listener;
  j["listener"] = {{"deny_connections", opt(l.deny_connections)},
                   {"nla_required", opt(l.nla_required)},
                   {"security_layer", opt(l.security_layer)},
                   {"port", opt(l.port)},
                   {"address", l.address},
                   {"min_encryption_level", opt(l.min_encryption_level)},
                   {"ssl_protocols", l.ssl_protocols},
                   {"certificate_path", l.certificate_path},
                   {"key_path", l.key_path},
                   {"error", l.error}};
  j["self_probe"] = s.self_probe ? Json{{"target", s.self_probe->target},
                                        {"verdict", s.self_probe->verdict},
                                        {"causes", s.self_probe->causes}}
                                 : Json(nullptr);
  j["sessions"] = s.sessions
                      ? Json{{"active", s.sessions->active}, {"disconnected", s.sessions->disconnected}}
                      : Json(nullptr);
  if (s.schannel) {  // absent when not inspected (xrdp): snapshots from before stay the same
    auto server = Json::array();
    for (const auto& p : s.schannel->server)
      server.push_back({{"protocol", p.protocol},
                        {"enabled", opt(p.enabled)},
                        {"disabled_by_default", opt(p.disabled_by_default)}});
    j["schannel"] = {{"server", server},
                     {"offers_current_tls", opt(s.schannel->offers_current_tls)},
                     {"restore_commands", s.schannel->restore_commands},
                     {"error", s.schannel->error}};
  }
  if (!s.refused_paths.empty()) {  // absent when nothing was refused: snapshots from before stay the same
    auto refused = Json::array();
    for (const auto& r : s.refused_paths)
      refused.push_back({{"role", r.role},
                         {"path", r.path},
                         {"reason", r.reason},
                         {"component", r.component},
                         {"owner", r.owner},
                         {"group", r.group},
                         {"mode", opt(r.mode)},
                         {"detail", r.detail}});
    j["refused_paths"] = std::move(refused);
  }
  j["errors"] = s.errors;
  return j;
}

Result<HostState> host_state_from_json(const nlohmann::json& json, const std::string& origin) {
  try {
    return state_from(json);
  } catch (const Bad& bad) {
    return Error{"read host snapshot", origin, (bad.path.empty() ? "/" : bad.path) + ": " + bad.message};
  } catch (const nlohmann::json::exception& e) {
    return Error{"read host snapshot", origin, e.what()};
  }
}

Result<HostState> load_snapshot(const std::filesystem::path& path) {
  // A snapshot steers what the sim actions write back, so it is read like a configuration file.
  constexpr std::size_t kMaxSnapshotBytes = 4 * 1024 * 1024;
  const std::string name = std::filesystem::absolute(path).string();
  auto text = security::read_trusted_file(name, kMaxSnapshotBytes);
  if (!text) return text.error().to_error("read host snapshot");
  auto json = nlohmann::json::parse(text.value(), nullptr, false);
  if (json.is_discarded()) return Error{"read host snapshot", path.string(), "not valid JSON"};
  return host_state_from_json(json, path.string());
}

}  // namespace rdpmend::inspect
