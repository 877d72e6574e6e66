// The xrdp actions on real files (as root): permissions repaired and restored without ever following a
// link, a certificate pair regenerated atomically and the old one (even a symlink) restored exactly.

#include "actions/linux/xrdp_actions.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "inspect/host.h"
#include "inspect/linux/posix_access.h"

namespace rdpmend::actions {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class XrdpActions : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "SKIPPED: needs root (file ownership changes)";
    if (!getpwnam_ok("xrdp")) GTEST_SKIP() << "SKIPPED: no xrdp user (scripts/setup.sh installs xrdp)";
    dir_ = fs::temp_directory_path() / ("rdpmend-actions-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms(0755));
    ini_ = (dir_ / "xrdp.ini").string();
    std::ofstream(ini_) << "[Globals]\nport=tcp://127.0.0.1:3389\nsecurity_layer=negotiate\ncertificate=" +
                               (dir_ / "cert.pem").string() + "\nkey_file=" + (dir_ / "key.pem").string() +
                               "\n";
    ASSERT_EQ(
        std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=old -keyout " +
                     (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() + " 2>/dev/null")
                        .c_str()),
        0);
    chmod((dir_ / "key.pem").c_str(), 0600);  // root only: the fault
    config_.hostname = "rdpmend-test";
    config_.restart_command = {"/bin/true"};
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static bool getpwnam_ok(const char* name) { return inspect::linux_host::lookup_account(name).ok(); }

  inspect::HostState inspect_now() {
    inspect::LocalHostConfig c;
    c.xrdp_ini = ini_;
    auto host = inspect::make_local_host(c).value();
    host->probe_listener = nullptr;
    return inspect::inspect_host(*host, std::chrono::system_clock::now(), 14);
  }

  fs::path dir_;
  std::string ini_;
  XrdpActionConfig config_;
};

TEST_F(XrdpActions, RepairsKeyPermissionsAndRollsBack) {
  auto actions = make_xrdp_actions(config_);
  auto* a = actions.find("repair-rdp-key-acl");
  auto before = inspect_now();
  ASSERT_EQ(before.certificate.key.readable_by_service, false);
  ASSERT_TRUE(a->check(before)) << a->check(before).error().message();
  auto backup = a->backup(before);
  ASSERT_TRUE(backup);
  ASSERT_TRUE(a->apply(before, backup.value()));
  auto after = inspect_now();
  EXPECT_TRUE(a->verify(after)) << a->verify(after).error().message();
  EXPECT_EQ(after.certificate.key.mode, 0640u);
  EXPECT_EQ(after.certificate.key.owner, "root");
  ASSERT_TRUE(a->rollback(backup.value()));
  auto rolled = inspect_now();
  EXPECT_EQ(rolled.certificate.key.mode, 0600u);
  EXPECT_EQ(rolled.certificate.key.readable_by_service, false);
}

TEST_F(XrdpActions, NeverChangesPermissionsThroughASymlink) {
  auto real = dir_ / "real.key";
  fs::rename(dir_ / "key.pem", real);
  fs::create_symlink(real, dir_ / "key.pem");
  auto actions = make_xrdp_actions(config_);
  auto* a = actions.find("repair-rdp-key-acl");
  auto state = inspect_now();
  auto checked = a->check(state);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message().find("symlink"), std::string::npos);
  // Even if the executor were asked anyway, apply refuses the link and the target stays as it was.
  struct stat st {};
  EXPECT_FALSE(a->apply(state, Backup{}));
  ASSERT_EQ(stat(real.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(XrdpActions, RegeneratesAMatchingPairAndRestoresTheOldOneExactly) {
  // The old key is a symlink, as Debian's /etc/xrdp/key.pem is: rollback must bring the link back.
  auto real = dir_ / "real.key";
  fs::rename(dir_ / "key.pem", real);
  fs::create_symlink(real, dir_ / "key.pem");
  const std::string old_cert = read_all(dir_ / "cert.pem");
  auto actions = make_xrdp_actions(config_);
  auto* a = actions.find("regenerate-rdp-cert");
  auto before = inspect_now();
  ASSERT_TRUE(a->check(before)) << a->check(before).error().message();
  auto backup = a->backup(before);
  ASSERT_TRUE(backup);
  ASSERT_TRUE(a->apply(before, backup.value()));
  auto after = inspect_now();
  EXPECT_TRUE(a->verify(after)) << a->verify(after).error().message();
  EXPECT_FALSE(fs::is_symlink(dir_ / "key.pem"));  // replaced by a real file; the old target untouched
  EXPECT_EQ(after.certificate.info->subject, "CN=rdpmend-test");
  EXPECT_NE(read_all(dir_ / "cert.pem"), old_cert);
  ASSERT_TRUE(a->rollback(backup.value()));
  EXPECT_TRUE(fs::is_symlink(dir_ / "key.pem"));
  EXPECT_EQ(fs::read_symlink(dir_ / "key.pem"), real);
  EXPECT_EQ(read_all(dir_ / "cert.pem"), old_cert);
}

TEST_F(XrdpActions, RefusesToReplaceACaIssuedCertificate) {
  auto state = inspect_now();
  state.certificate.info->self_signed = false;
  state.certificate.info->issuer = "CN=Corp CA";
  auto actions = make_xrdp_actions(config_);
  auto r = actions.find("regenerate-rdp-cert")->check(state);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("only replaces self-signed"), std::string::npos);
}

TEST_F(XrdpActions, RunsTheConfiguredRestartCommand) {
  auto state = inspect_now();
  auto ok = make_xrdp_actions(config_);
  EXPECT_TRUE(ok.find("restart-rdp-service")->apply(state, Backup{}));
  config_.restart_command = {"/bin/false"};
  auto failing = make_xrdp_actions(config_);
  auto r = failing.find("restart-rdp-service")->apply(state, Backup{});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("exit status 1"), std::string::npos);
  // With no restart command configured, neither start nor restart is offered (the plan: "not available").
  config_.restart_command.clear();
  EXPECT_EQ(make_xrdp_actions(config_).find("start-rdp-service"), nullptr);
  EXPECT_EQ(make_xrdp_actions(config_).find("restart-rdp-service"), nullptr);
}

// A program run as root passes the trust rule: absolute, and no other account can change it.
TEST_F(XrdpActions, RefusesARestartProgramAnotherAccountCouldChange) {
  auto state = inspect_now();
  config_.restart_command = {"true"};
  auto relative = make_xrdp_actions(config_).find("restart-rdp-service")->apply(state, Backup{});
  ASSERT_FALSE(relative);
  EXPECT_NE(relative.error().message().find("not-absolute"), std::string::npos);
  const auto script = dir_ / "restart.sh";
  const auto marker = dir_ / "ran";
  std::ofstream(script) << "#!/bin/sh\ntouch " << marker.string() << "\n";
  ASSERT_EQ(chmod(script.c_str(), 0755), 0);
  ASSERT_EQ(chown(script.c_str(), 65534, 65534), 0);  // nobody's
  config_.restart_command = {script.string()};
  auto owned = make_xrdp_actions(config_);
  auto check = owned.find("restart-rdp-service")->check(state);
  ASSERT_FALSE(check);
  EXPECT_NE(check.error().message().find("untrusted-owner"), std::string::npos);
  EXPECT_FALSE(owned.find("restart-rdp-service")->apply(state, Backup{}));
  config_.restart_command = {"/bin/sh", script.string()};  // through an interpreter: the same
  EXPECT_FALSE(make_xrdp_actions(config_).find("restart-rdp-service")->apply(state, Backup{}));
  EXPECT_FALSE(std::filesystem::exists(marker));
}

}  // namespace
}  // namespace rdpmend::actions
