// The xrdp (Linux) inspectors' pure parts: xrdp.ini, the nftables verdict, file access for an account.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "inspect/linux/nft_ruleset.h"
#include "inspect/linux/posix_access.h"
#include "inspect/linux/xrdp_ini.h"

namespace rdpmend::inspect::linux_host {
namespace {

TEST(XrdpIni, ReadsTheStockDebianSettings) {
  auto s = parse_xrdp_ini(
      "[Globals]\nport=3389\nsecurity_layer=negotiate\ncertificate=\nkey_file=\n"
      "ssl_protocols=TLSv1.2, TLSv1.3\n[Logging]\nLogFile=xrdp.log\n",
      "/etc/xrdp");
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s.value().port, 3389);
  EXPECT_EQ(s.value().security_layer, 1u);
  EXPECT_EQ(s.value().certificate_path, "/etc/xrdp/cert.pem");
  EXPECT_EQ(s.value().key_path, "/etc/xrdp/key.pem");
  EXPECT_EQ(s.value().ssl_protocols, "TLSv1.2, TLSv1.3");
}

TEST(XrdpIni, ReadsTcpUrlsAndAbsolutePaths) {
  auto s = parse_xrdp_ini(
      "[globals]\nport=tcp://127.0.0.1:13389\nsecurity_layer=tls\ncertificate=/x/c.pem\n"
      "key_file=k.pem\n",
      "/etc/xrdp");
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().address, "127.0.0.1");
  EXPECT_EQ(s.value().port, 13389);
  EXPECT_EQ(s.value().security_layer, 2u);
  EXPECT_EQ(s.value().certificate_path, "/x/c.pem");
  EXPECT_EQ(s.value().key_path, "/etc/xrdp/k.pem");
  auto v6 = parse_xrdp_ini("[Globals]\nport=tcp6://[::1]:3390\n", "/etc/xrdp");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6.value().address, "::1");
  EXPECT_EQ(v6.value().port, 3390);
}

TEST(XrdpIni, RejectsBadValuesWithTheLine) {
  auto bad_port = parse_xrdp_ini("[Globals]\nport=99999\n", "/etc/xrdp");
  ASSERT_FALSE(bad_port);
  EXPECT_NE(bad_port.error().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(parse_xrdp_ini("[Globals]\nsecurity_layer=none\n", "/etc/xrdp"));
  EXPECT_FALSE(parse_xrdp_ini("not an ini file", "/etc/xrdp"));
}

std::string ruleset(const std::string& chain_policy, const std::string& rules) {
  return R"({"nftables": [{"metainfo": {"version": "1.0.6"}},
    {"table": {"family": "inet", "name": "f", "handle": 1}},
    {"chain": {"family": "inet", "table": "f", "name": "input", "handle": 1, "type": "filter", "hook": "input",
               "prio": 0, "policy": ")" +
         chain_policy + R"("}})" + rules + "]}";
}

std::string rule(int handle, const std::string& port_match, const std::string& verdict) {
  return R"(, {"rule": {"family": "inet", "table": "f", "chain": "input", "handle": )" +
         std::to_string(handle) + R"(, "expr": [)" + port_match + verdict + "]}}";
}

const std::string kDport3389 =
    R"({"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 3389}}, )";

TEST(NftRuleset, EmptyRulesetFiltersNothing) {
  auto fw = judge_nft_ruleset(R"({"nftables": [{"metainfo": {"version": "1.0.6"}}]})", 3389);
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw.value().active, false);
  EXPECT_EQ(fw.value().blocks_rdp_port, false);
}

TEST(NftRuleset, DropOfThePortBlocks) {
  auto fw =
      judge_nft_ruleset(ruleset("accept", rule(4, kDport3389, R"({"counter": null}, {"drop": null})")), 3389);
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw.value().blocks_rdp_port, true);
  EXPECT_NE(fw.value().detail.find("rule 4"), std::string::npos);
  EXPECT_EQ(judge_nft_ruleset(ruleset("accept", rule(4, kDport3389, R"({"drop": null})")), 22)
                .value()
                .blocks_rdp_port,
            false);
}

// What an administrator runs instead of restore-firewall-rules (off by default): the same accept rule the
// action adds, in the blocking chain, right before the drop; nothing when nothing blocks.
TEST(NftRuleset, NamesTheExactCommandsThatLetRdpIn) {
  auto fw =
      judge_nft_ruleset(ruleset("accept", rule(4, kDport3389, R"({"counter": null}, {"drop": null})")), 3389);
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw.value().restore_commands,
            std::vector<std::string>{
                "nft insert rule inet f input position 4 tcp dport 3389 accept comment '\"rdpmend "
                "restore-firewall-rules\"'"});
  auto open = judge_nft_ruleset(ruleset("accept", ""), 3389);
  ASSERT_TRUE(open);
  EXPECT_TRUE(open.value().restore_commands.empty());
}

TEST(NftRuleset, RejectAndSetsAndRangesBlock) {
  std::string set_match =
      R"({"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [22, {"range": [3000, 4000]}]}}}, )";
  EXPECT_EQ(
      judge_nft_ruleset(ruleset("accept", rule(2, set_match, R"({"reject": {"type": "tcp reset"}})")), 3389)
          .value()
          .blocks_rdp_port,
      true);
}

TEST(NftRuleset, AcceptBeforeDropPolicyLetsRdpIn) {
  auto open = judge_nft_ruleset(ruleset("drop", rule(2, kDport3389, R"({"accept": null})")), 3389);
  EXPECT_EQ(open.value().blocks_rdp_port, false);
  auto closed = judge_nft_ruleset(ruleset("drop", ""), 3389);
  EXPECT_EQ(closed.value().blocks_rdp_port, true);
  EXPECT_NE(closed.value().detail.find("drops by default"), std::string::npos);
}

TEST(NftRuleset, RulesOnClientAddressesAreNotJudged) {
  std::string from_addr =
      R"({"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "203.0.113.9"}}, )";
  EXPECT_EQ(judge_nft_ruleset(ruleset("accept", rule(3, from_addr, R"({"drop": null})")), 3389)
                .value()
                .blocks_rdp_port,
            false);
}

TEST(NftRuleset, RejectsOtherJson) {
  EXPECT_FALSE(judge_nft_ruleset("[1,2]", 3389));
  EXPECT_FALSE(judge_nft_ruleset("not json", 3389));
}

class FileAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "SKIPPED: needs root to give files away";
    auto nobody = lookup_account("nobody");
    if (!nobody) GTEST_SKIP() << "SKIPPED: no 'nobody' account";
    nobody_ = nobody.value();
    dir_ = std::filesystem::temp_directory_path() / ("rdpmend-access-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    chmod(dir_.c_str(), 0755);
    file_ = (dir_ / "key.pem").string();
    std::ofstream(file_) << "secret";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  Account nobody_;
  std::filesystem::path dir_;
  std::string file_;
};

TEST_F(FileAccess, OwnerOnlyFileIsUnreadableForAnotherAccount) {
  chmod(file_.c_str(), 0600);
  auto f = inspect_file(file_, &nobody_);
  EXPECT_TRUE(f.exists);
  EXPECT_EQ(f.owner, "root");
  EXPECT_EQ(f.mode, 0600u);
  EXPECT_EQ(f.readable_by_service, false);
}

TEST_F(FileAccess, WorldReadableFileIsReadable) {
  chmod(file_.c_str(), 0644);
  EXPECT_EQ(inspect_file(file_, &nobody_).readable_by_service, true);
}

TEST_F(FileAccess, AFolderOnTheWayCanBlock) {
  chmod(file_.c_str(), 0644);
  chmod(dir_.c_str(), 0700);
  EXPECT_EQ(inspect_file(file_, &nobody_).readable_by_service, false);
}

TEST_F(FileAccess, GroupMembershipCounts) {
  chmod(file_.c_str(), 0640);
  ASSERT_EQ(chown(file_.c_str(), 0, nobody_.gid), 0);
  EXPECT_EQ(inspect_file(file_, &nobody_).readable_by_service, true);
}

TEST_F(FileAccess, SymlinksAreReportedAndMissingTargetsUnreadable) {
  auto link = (dir_ / "link.pem").string();
  ASSERT_EQ(symlink(file_.c_str(), link.c_str()), 0);
  auto f = inspect_file(link, &nobody_);
  EXPECT_TRUE(f.is_link);
  EXPECT_TRUE(f.exists);
  std::filesystem::remove(file_);
  auto dangling = inspect_file(link, &nobody_);
  EXPECT_FALSE(dangling.exists);
  EXPECT_EQ(dangling.readable_by_service, false);
}

}  // namespace
}  // namespace rdpmend::inspect::linux_host
