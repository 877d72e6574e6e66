// restore-firewall-rules for nftables, its pure part: where the accept rules go, and the names refused.
// The real nft is driven by the end-to-end test (tests/e2e/probe_cases.sh, in a network namespace).

#include "actions/linux/nft_firewall_action.h"

#include <gtest/gtest.h>

namespace rdpmend::actions {
namespace {

using inspect::linux_host::kNftRuleComment;
using inspect::linux_host::nft_accept_commands;
using inspect::linux_host::NftBlock;

TEST(NftFirewallAction, InsertsBeforeTheDropRuleAndAppendsToADropPolicyChain) {
  std::vector<NftBlock> blocks = {{"inet", "filter", "input", 7, ""},
                                  {"ip", "fw", "in_chain", std::nullopt, ""}};
  auto commands = nft_accept_commands("/usr/sbin/nft", blocks, 3390);
  ASSERT_TRUE(commands) << commands.error().message();
  ASSERT_EQ(commands.value().size(), 2u);
  EXPECT_EQ(commands.value()[0],
            (std::vector<std::string>{"/usr/sbin/nft", "insert", "rule", "inet", "filter", "input",
                                      "position", "7", "tcp", "dport", "3390", "accept", "comment",
                                      "\"rdpmend restore-firewall-rules\""}));
  EXPECT_EQ(commands.value()[1],
            (std::vector<std::string>{"/usr/sbin/nft", "add", "rule", "ip", "fw", "in_chain", "tcp", "dport",
                                      "3390", "accept", "comment", "\"rdpmend restore-firewall-rules\""}));
}

TEST(NftFirewallAction, RefusesNamesNftWouldParseAsSomethingElse) {
  for (const auto& block : std::vector<NftBlock>{{"inet", "filter; flush ruleset", "input", 1, ""},
                                                 {"inet", "filter", "input counter drop", 1, ""},
                                                 {"netdev", "filter", "input", 1, ""},
                                                 {"inet", "", "input", 1, ""}}) {
    auto commands = nft_accept_commands("/usr/sbin/nft", {block}, 3389);
    ASSERT_FALSE(commands) << block.table << " " << block.chain;
    EXPECT_NE(commands.error().message().find("misread"), std::string::npos);
  }
}

TEST(NftFirewallAction, FindsEachBlockingChainAndItsOwnRulesByComment) {
  const char* ruleset = R"({"nftables": [
    {"table": {"family": "inet", "name": "filter", "handle": 1}},
    {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}},
    {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4, "expr": [
      {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 3389}}, {"drop": null}]}},
    {"chain": {"family": "ip", "table": "fw", "name": "in", "handle": 2, "type": "filter", "hook": "input", "prio": 10, "policy": "drop"}},
    {"rule": {"family": "ip", "table": "fw", "chain": "in", "handle": 9, "comment": "rdpmend restore-firewall-rules", "expr": [
      {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"accept": null}]}}
  ]})";
  auto blocks = inspect::linux_host::find_nft_blocks(ruleset, 3389);
  ASSERT_TRUE(blocks);
  ASSERT_EQ(blocks.value().size(), 2u);
  EXPECT_EQ(blocks.value()[0].rule_handle, 4);
  EXPECT_EQ(blocks.value()[1].table, "fw");
  EXPECT_FALSE(blocks.value()[1].rule_handle);
  auto ours = inspect::linux_host::find_nft_rules_with_comment(ruleset, kNftRuleComment);
  ASSERT_TRUE(ours);
  ASSERT_EQ(ours.value().size(), 1u);
  EXPECT_EQ(ours.value()[0].handle, 9);
  EXPECT_EQ(ours.value()[0].chain, "in");
}

}  // namespace
}  // namespace rdpmend::actions
