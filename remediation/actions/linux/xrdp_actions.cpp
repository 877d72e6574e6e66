#include "actions/linux/xrdp_actions.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "actions/linux/key_group_action.h"
#include "actions/linux/nft_firewall_action.h"
#include "inspect/linux/posix_access.h"
#include "inspect/linux/run_command.h"
#include "probe/openssl_util.h"
#include "util/encoding.h"

namespace rdpmend::actions {
namespace {

using inspect::HostState;
using Json = nlohmann::json;

constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;

std::string os_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

Status need_root(std::string_view action) {
  if (geteuid() != 0) return Error{std::string(action), "", "changing the host needs root"};
  return Ok{};
}

Result<unsigned> primary_gid(const std::string& user) {
  auto account = inspect::linux_host::lookup_account(user);
  if (!account) return account.error();
  return account.value().gid;
}

// Opens a file to change its metadata without ever following a symlink in its last component.
class NoFollowFile {
 public:
  explicit NoFollowFile(const std::string& path)
      : fd_(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) {}
  ~NoFollowFile() {
    if (fd_ >= 0) close(fd_);
  }
  NoFollowFile(const NoFollowFile&) = delete;
  NoFollowFile& operator=(const NoFollowFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

Status set_owner_mode(const std::string& path, unsigned uid, unsigned gid, unsigned mode, const char* what) {
  NoFollowFile f(path);
  if (f.fd() < 0)
    return Error{
        what, path,
        errno == ELOOP ? "it is a symlink: permissions are never changed through a link" : os_error("open")};
  struct stat st {};
  if (fstat(f.fd(), &st) != 0 || !S_ISREG(st.st_mode)) return Error{what, path, "not a regular file"};
  if (fchown(f.fd(), uid, gid) != 0) return Error{what, path, os_error("fchown")};
  if (fchmod(f.fd(), mode) != 0) return Error{what, path, os_error("fchmod")};
  return Ok{};
}

// --- a file's prior state, enough to put it back exactly (contents, owner, mode, or the link itself) ---

Json save_file(const std::string& path) {
  Json j{{"path", path}};
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    j["kind"] = "absent";
    return j;
  }
  j["uid"] = st.st_uid;
  j["gid"] = st.st_gid;
  j["mode"] = st.st_mode & 07777;
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    j["kind"] = "symlink";
    j["target"] = std::filesystem::read_symlink(path, ec).string();
    return j;
  }
  j["kind"] = "file";
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string text = bytes.str();
  j["content_hex"] = util::to_hex(std::vector<std::uint8_t>(text.begin(), text.end()));
  return j;
}

std::string temp_beside(const std::string& path) {
  std::random_device rd;
  return path + ".rdpmend-" + std::to_string(rd()) + ".tmp";
}

// Writes bytes to a new file beside `path` with owner and mode set before any byte is written, then
// renames it over `path` (rename replaces a symlink itself, never its target).
Status write_atomically(const std::string& path, const std::string& bytes, unsigned uid, unsigned gid,
                        unsigned mode) {
  std::string tmp = temp_beside(path);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Error{"write file", tmp, os_error("open")};
  auto fail = [&](const char* step) -> Status {
    Error e{"write file", path, os_error(step)};
    close(fd);
    unlink(tmp.c_str());
    return e;
  };
  if (fchown(fd, uid, gid) != 0) return fail("fchown");
  if (fchmod(fd, mode) != 0) return fail("fchmod");
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("write");
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return fail("fsync");
  close(fd);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    Error e{"write file", path, os_error("rename")};
    unlink(tmp.c_str());
    return e;
  }
  auto dir = std::filesystem::path(path).parent_path();
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Ok{};
}

Status restore_file(const Json& saved) {
  const std::string path = saved.at("path").get<std::string>();
  const std::string kind = saved.at("kind").get<std::string>();
  if (kind == "absent") {
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0 && unlink(path.c_str()) != 0)
      return Error{"restore file", path, os_error("unlink")};
    return Ok{};
  }
  if (kind == "symlink") {
    std::string tmp = temp_beside(path);
    if (symlink(saved.at("target").get<std::string>().c_str(), tmp.c_str()) != 0)
      return Error{"restore link", path, os_error("symlink")};
    if (lchown(tmp.c_str(), saved.at("uid").get<unsigned>(), saved.at("gid").get<unsigned>()) != 0 ||
        rename(tmp.c_str(), path.c_str()) != 0) {
      Error e{"restore link", path, os_error("rename")};
      unlink(tmp.c_str());
      return e;
    }
    return Ok{};
  }
  auto bytes = util::from_hex(saved.at("content_hex").get<std::string>());
  if (!bytes) return Error{"restore file", path, "the backup is damaged"};
  return write_atomically(path, std::string(bytes->begin(), bytes->end()), saved.at("uid").get<unsigned>(),
                          saved.at("gid").get<unsigned>(), saved.at("mode").get<unsigned>());
}

// --- repair-rdp-key-acl ---

class RepairKeyAcl final : public Action {
 public:
  explicit RepairKeyAcl(XrdpActionConfig config) : config_(std::move(config)) {}
  std::string_view id() const override { return "repair-rdp-key-acl"; }
  std::string target(const HostState& s) const override { return s.listener.key_path; }

  Status check(const HostState& s) override {
    if (auto root = need_root(id()); !root) return root;
    const auto& key = s.certificate.key;
    if (s.listener.key_path.empty() || !key.exists)
      return Error{std::string(id()), s.listener.key_path, "the key file does not exist"};
    if (key.is_link)
      return Error{std::string(id()), key.path,
                   "it is a symlink: permissions are never changed through a link (regenerate-rdp-cert "
                   "writes real files)"};
    if (auto gid = primary_gid(config_.xrdp_user); !gid) return gid.error();
    return Ok{};
  }

  Result<Backup> backup(const HostState& s) override {
    struct stat st {};
    if (lstat(s.listener.key_path.c_str(), &st) != 0)
      return Error{"back up key permissions", s.listener.key_path, os_error("lstat")};
    return Backup{{{"path", s.listener.key_path},
                   {"uid", st.st_uid},
                   {"gid", st.st_gid},
                   {"mode", st.st_mode & 07777}}};
  }

  Status apply(const HostState& s, const Backup&) override {
    auto gid = primary_gid(config_.xrdp_user);
    if (!gid) return gid.error();
    // root owns it, the xrdp user's group reads it, nobody else: never wider than that.
    return set_owner_mode(s.listener.key_path, 0, gid.value(), 0640, "repair key permissions");
  }

  Status verify(const HostState& after) override {
    const auto& key = after.certificate.key;
    if (key.readable_by_service != true)
      return Error{"verify key permissions", key.path, "the xrdp user still cannot read it"};
    if (key.mode && (*key.mode & 0007))
      return Error{"verify key permissions", key.path, "others can read it"};
    return Ok{};
  }

  Status rollback(const Backup& b) override {
    try {
      return set_owner_mode(b.data.at("path").get<std::string>(), b.data.at("uid").get<unsigned>(),
                            b.data.at("gid").get<unsigned>(), b.data.at("mode").get<unsigned>(),
                            "roll back key permissions");
    } catch (const Json::exception& e) {
      return Error{"roll back key permissions", "", std::string("the backup is damaged: ") + e.what()};
    }
  }

 private:
  XrdpActionConfig config_;
};

// --- regenerate-rdp-cert ---

Result<probe::PkeyPtr> make_key(const std::string& type) {
  probe::PkeyPtr key;
  if (type == "rsa2048")
    key.reset(EVP_RSA_gen(2048));
  else if (type == "rsa3072")
    key.reset(EVP_RSA_gen(3072));
  else if (type == "rsa4096")
    key.reset(EVP_RSA_gen(4096));
  else if (type == "ec-p256")
    key.reset(EVP_EC_gen("P-256"));
  else if (type == "ec-p384")
    key.reset(EVP_EC_gen("P-384"));
  else
    return Error{"generate key", type, "unknown key type (rsa2048, rsa3072, rsa4096, ec-p256, ec-p384)"};
  if (!key) return Error{"generate key", type, probe::openssl_error_text()};
  return key;
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  if (X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value)) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

struct NewPair {
  std::string cert_pem;
  std::string key_pem;
};

Result<NewPair> make_self_signed(const XrdpActionConfig& c) {
  auto key = make_key(c.key_type);
  if (!key) return key.error();
  probe::X509Ptr cert(X509_new());
  if (!cert) return Error{"make certificate", c.hostname, probe::openssl_error_text()};
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7F;  // a positive serial
  probe::BignumPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(c.validity_days) * 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(c.hostname.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.value().get());
  add_extension(cert.get(), NID_subject_alt_name, ("DNS:" + c.hostname).c_str());
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  if (X509_sign(cert.get(), key.value().get(), EVP_sha256()) <= 0)
    return Error{"sign certificate", c.hostname, probe::openssl_error_text()};
  probe::BioPtr cb(BIO_new(BIO_s_mem())), kb(BIO_new(BIO_s_mem()));
  if (!cb || !kb || PEM_write_bio_X509(cb.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(kb.get(), key.value().get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Error{"encode certificate", c.hostname, probe::openssl_error_text()};
  return NewPair{probe::bio_text(cb.get()), probe::bio_text(kb.get())};
}

class RegenerateCert final : public Action {
 public:
  explicit RegenerateCert(XrdpActionConfig config) : config_(std::move(config)) {}
  std::string_view id() const override { return "regenerate-rdp-cert"; }
  std::string target(const HostState& s) const override { return s.listener.certificate_path; }

  Status check(const HostState& s) override {
    if (auto root = need_root(id()); !root) return root;
    if (s.listener.certificate_path.empty() || s.listener.key_path.empty())
      return Error{std::string(id()), "", "xrdp.ini gives no certificate and key paths"};
    for (const auto& p : {s.listener.certificate_path, s.listener.key_path}) {
      std::error_code ec;
      if (!std::filesystem::is_directory(std::filesystem::path(p).parent_path(), ec))
        return Error{std::string(id()), p, "its folder does not exist"};
    }
    // A certificate issued by a CA belongs to the administrator: only self-signed ones are replaced.
    if (s.certificate.present && s.certificate.info && !s.certificate.info->self_signed)
      return Error{std::string(id()), s.listener.certificate_path,
                   "issued by " + s.certificate.info->issuer +
                       ", not self-signed: RdpMend only replaces self-signed certificates"};
    if (config_.hostname.empty()) return Error{std::string(id()), "", "no host name for the certificate"};
    if (auto gid = primary_gid(config_.xrdp_user); !gid) return gid.error();
    return Ok{};
  }

  Result<Backup> backup(const HostState& s) override {
    for (const auto& p : {s.listener.certificate_path, s.listener.key_path}) {
      std::error_code ec;
      auto size = std::filesystem::file_size(p, ec);
      if (!ec && size > kMaxFileBytes)
        return Error{"back up", p, "larger than 1 MiB: not a certificate or key"};
    }
    return Backup{
        {{"certificate", save_file(s.listener.certificate_path)}, {"key", save_file(s.listener.key_path)}}};
  }

  Status apply(const HostState& s, const Backup&) override {
    auto gid = primary_gid(config_.xrdp_user);
    if (!gid) return gid.error();
    auto pair = make_self_signed(config_);
    if (!pair) return pair.error();
    // The key first: a certificate without its key is the mismatch this action repairs.
    if (auto k = write_atomically(s.listener.key_path, pair.value().key_pem, 0, gid.value(), 0640); !k)
      return k;
    return write_atomically(s.listener.certificate_path, pair.value().cert_pem, 0, 0, 0644);
  }

  Status verify(const HostState& after) override {
    const auto& c = after.certificate;
    if (!c.present)
      return Error{"verify certificate", c.location, c.error.empty() ? "no certificate" : c.error};
    if (c.key_matches != true) return Error{"verify certificate", c.location, "the key does not match"};
    if (c.info && (c.info->expired || c.info->not_yet_valid))
      return Error{"verify certificate", c.location, "not valid now"};
    if (c.key.readable_by_service != true)
      return Error{"verify certificate", c.key.path, "the xrdp user cannot read the key"};
    return Ok{};
  }

  Status rollback(const Backup& b) override {
    try {
      if (auto k = restore_file(b.data.at("key")); !k) return k;
      return restore_file(b.data.at("certificate"));
    } catch (const Json::exception& e) {
      return Error{"roll back certificate", "", std::string("the backup is damaged: ") + e.what()};
    }
  }

 private:
  XrdpActionConfig config_;
};

// --- start-rdp-service / restart-rdp-service ---

class RunServiceCommand final : public Action {
 public:
  RunServiceCommand(std::string id, XrdpActionConfig config)
      : id_(std::move(id)), config_(std::move(config)) {}
  std::string_view id() const override { return id_; }
  std::string target(const HostState&) const override { return "xrdp"; }

  Status check(const HostState&) override {
    if (auto root = need_root(id_); !root) return root;
    if (config_.restart_command.empty())
      return Error{id_, "", "no restart command configured ([xrdp] restart in the configuration file)"};
    return Ok{};
  }
  Result<Backup> backup(const HostState&) override { return Backup{Json::object()}; }
  Status apply(const HostState&, const Backup&) override {
    auto out = inspect::linux_host::run_command(config_.restart_command, std::chrono::seconds(60));
    if (!out) return out.error();
    if (out.value().exit_status != 0)
      return Error{
          id_, config_.restart_command.front(),
          "exit status " + std::to_string(out.value().exit_status) + ": " + out.value().err.substr(0, 300)};
    return Ok{};
  }
  Status verify(const HostState& after) override {
    const auto* s = after.service("xrdp");
    if (!s || s->state != "running") return Error{"verify service", "xrdp", "not running and listening"};
    return Ok{};
  }
  bool reversible() const override { return false; }
  Status rollback(const Backup&) override { return Ok{}; }

 private:
  std::string id_;
  XrdpActionConfig config_;
};

}  // namespace

ActionSet make_xrdp_actions(const XrdpActionConfig& config) {
  ActionSet set;
  if (config.key_access == "user-group")
    set.add(make_key_group_action(KeyGroupConfig{config.xrdp_user, config.key_group}));
  else
    set.add(std::make_unique<RepairKeyAcl>(config));
  set.add(std::make_unique<RegenerateCert>(config));
  set.add(make_nft_firewall_action(config.nft));
  set.add(std::make_unique<RunServiceCommand>("start-rdp-service", config));
  set.add(std::make_unique<RunServiceCommand>("restart-rdp-service", config));
  return set;
}

}  // namespace rdpmend::actions
