#include "inspect/linux/nft_ruleset.h"

#include <algorithm>

#include <map>

#include <nlohmann/json.hpp>

namespace rdpmend::inspect::linux_host {
namespace {

using Json = nlohmann::json;

enum class PortMatch { kNone, kMatches, kOther };

bool value_has_port(const Json& right, std::uint16_t port) {
  if (right.is_number_integer()) return right.get<std::int64_t>() == port;
  if (right.is_object() && right.contains("set") && right["set"].is_array()) {
    for (const auto& v : right["set"])
      if (value_has_port(v, port)) return true;
    return false;
  }
  if (right.is_object() && right.contains("range") && right["range"].is_array() &&
      right["range"].size() == 2 && right["range"][0].is_number_integer() &&
      right["range"][1].is_number_integer())
    return right["range"][0].get<std::int64_t>() <= port && port <= right["range"][1].get<std::int64_t>();
  return false;
}

// What the rule's match expressions say about TCP to `port`.
PortMatch port_match(const Json& exprs, std::uint16_t port) {
  bool any_match = false;
  for (const auto& e : exprs) {
    if (!e.is_object() || !e.contains("match")) continue;
    any_match = true;
    const auto& m = e["match"];
    const auto& left = m.value("left", Json());
    if (left.is_object() && left.contains("payload")) {
      const auto& p = left["payload"];
      if (p.value("protocol", "") == "tcp" && p.value("field", "") == "dport") {
        std::string op = m.value("op", "==");
        bool has = value_has_port(m.value("right", Json()), port);
        if ((op == "==" || op == "in") && has) return PortMatch::kMatches;
        if (op == "!=" && !has) return PortMatch::kMatches;
        return PortMatch::kNone;
      }
    }
    if (left.is_object() && left.contains("meta") && left["meta"].value("key", "") == "l4proto") {
      const auto& right = m.value("right", Json());
      if (right.is_string() && right.get<std::string>() != "tcp") return PortMatch::kNone;
      continue;
    }
    return PortMatch::kOther;  // addresses, interfaces, conntrack state, ...
  }
  return any_match ? PortMatch::kOther : PortMatch::kMatches;  // no match at all: every packet
}

std::string verdict_of(const Json& exprs) {
  for (const auto& e : exprs)
    for (const char* v : {"drop", "reject", "accept"})
      if (e.is_object() && e.contains(v)) return v;
  return "";
}

Result<Json> parse_ruleset(const std::string& json_text) {
  auto root = Json::parse(json_text, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("nftables") || !root["nftables"].is_array())
    return Error{"read nftables ruleset", "nft -j list ruleset", "not the JSON nft prints"};
  return root;
}

// The input filter chains ("family table name" -> its policy) and the blocks in them.
struct Scan {
  std::map<std::string, std::string> input_chains;
  std::vector<NftBlock> blocks;
};

Scan scan_ruleset(const Json& root, std::uint16_t port) {
  Scan scan;
  struct Chain {
    std::string family, table, name, policy;
    bool accepted = false;
    bool blocked = false;
  };
  std::map<std::string, Chain> chains;
  for (const auto& item : root["nftables"]) {
    if (!item.is_object() || !item.contains("chain") || !item["chain"].is_object()) continue;
    const auto& c = item["chain"];
    if (c.value("hook", "") != "input" || c.value("type", "") != "filter") continue;
    Chain chain{c.value("family", ""), c.value("table", ""), c.value("name", ""),
                c.value("policy", "accept")};
    std::string key = chain.family + " " + chain.table + " " + chain.name;
    scan.input_chains[key] = chain.policy;
    chains[key] = chain;
  }
  for (const auto& item : root["nftables"]) {
    if (!item.is_object() || !item.contains("rule") || !item["rule"].is_object()) continue;
    const auto& r = item["rule"];
    std::string key = r.value("family", "") + " " + r.value("table", "") + " " + r.value("chain", "");
    auto chain = chains.find(key);
    if (chain == chains.end() || !r.contains("expr") || !r["expr"].is_array()) continue;
    std::string verdict = verdict_of(r["expr"]);
    if (verdict.empty() || chain->second.accepted || chain->second.blocked) continue;
    if (port_match(r["expr"], port) != PortMatch::kMatches) continue;
    if (verdict == "accept") {
      chain->second.accepted = true;
    } else {
      chain->second.blocked = true;
      auto handle = r.value("handle", std::int64_t{0});
      scan.blocks.push_back({chain->second.family, chain->second.table, chain->second.name, handle,
                             "rule " + std::to_string(handle) + " in " + key + " " + verdict + "s TCP port " +
                                 std::to_string(port)});
    }
  }
  for (const auto& [key, chain] : chains)
    if (chain.policy == "drop" && !chain.accepted && !chain.blocked)
      scan.blocks.push_back(
          {chain.family, chain.table, chain.name, std::nullopt,
           "chain " + key + " drops by default and no rule accepts TCP port " + std::to_string(port)});
  return scan;
}

}  // namespace

Result<FirewallState> judge_nft_ruleset(const std::string& json_text, std::uint16_t port) {
  auto root = parse_ruleset(json_text);
  if (!root) return root.error();
  auto scan = scan_ruleset(root.value(), port);
  FirewallState fw;
  fw.active = !scan.input_chains.empty();
  fw.blocks_rdp_port = !scan.blocks.empty();
  if (!scan.blocks.empty()) fw.detail = scan.blocks.front().detail;
  if (!*fw.active) fw.detail = "no nftables input filter: nothing is filtered";
  // What restore-firewall-rules would run, for an administrator who keeps it off (a block may be on
  // purpose). The shell's quoting of the comment is nft's own syntax, so the line runs as printed.
  if (auto commands = nft_accept_commands("nft", scan.blocks, port); commands)
    for (const auto& argv : commands.value()) {
      std::string line;
      for (const auto& arg : argv)
        line += (line.empty() ? "" : " ") + (arg.front() == '"' ? "'" + arg + "'" : arg);
      fw.restore_commands.push_back(line);
    }
  return fw;
}

Result<std::vector<NftBlock>> find_nft_blocks(const std::string& json_text, std::uint16_t port) {
  auto root = parse_ruleset(json_text);
  if (!root) return root.error();
  return scan_ruleset(root.value(), port).blocks;
}

Result<std::vector<NftRuleRef>> find_nft_rules_with_comment(const std::string& json_text,
                                                            const std::string& comment) {
  auto root = parse_ruleset(json_text);
  if (!root) return root.error();
  std::vector<NftRuleRef> found;
  for (const auto& item : root.value()["nftables"]) {
    if (!item.is_object() || !item.contains("rule") || !item["rule"].is_object()) continue;
    const auto& r = item["rule"];
    if (r.value("comment", "") != comment || !r.contains("handle") || !r["handle"].is_number_integer())
      continue;
    found.push_back(
        {r.value("family", ""), r.value("table", ""), r.value("chain", ""), r["handle"].get<std::int64_t>()});
  }
  return found;
}

bool nft_plain_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

bool nft_known_family(const std::string& family) {
  return family == "ip" || family == "ip6" || family == "inet" || family == "bridge";
}

Result<std::vector<std::vector<std::string>>> nft_accept_commands(const std::string& nft,
                                                                  const std::vector<NftBlock>& blocks,
                                                                  std::uint16_t port) {
  std::vector<std::vector<std::string>> commands;
  for (const auto& b : blocks) {
    if (!nft_known_family(b.family) || !nft_plain_name(b.table) || !nft_plain_name(b.chain))
      return Error{"restore-firewall-rules", b.family + " " + b.table + " " + b.chain,
                   "a family, table or chain name nft could misread; lift this block by hand"};
    std::vector<std::string> argv = {nft};
    if (b.rule_handle) {
      // Right before the rule that drops the port.
      argv.insert(argv.end(),
                  {"insert", "rule", b.family, b.table, b.chain, "position", std::to_string(*b.rule_handle)});
    } else {
      argv.insert(argv.end(), {"add", "rule", b.family, b.table, b.chain});
    }
    argv.insert(argv.end(), {"tcp", "dport", std::to_string(port), "accept", "comment",
                             "\"" + std::string(kNftRuleComment) + "\""});
    commands.push_back(std::move(argv));
  }
  return commands;
}

}  // namespace rdpmend::inspect::linux_host
