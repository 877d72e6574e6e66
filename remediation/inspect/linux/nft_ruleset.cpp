#include "inspect/linux/nft_ruleset.h"

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

}  // namespace

Result<FirewallState> judge_nft_ruleset(const std::string& json_text, std::uint16_t port) {
  auto root = Json::parse(json_text, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("nftables") || !root["nftables"].is_array())
    return Error{"read nftables ruleset", "nft -j list ruleset", "not the JSON nft prints"};
  FirewallState fw;
  fw.active = false;
  fw.blocks_rdp_port = false;
  struct Chain {
    std::string policy;
    bool accepted = false;
  };
  std::map<std::string, Chain> input_chains;  // "family table name"
  for (const auto& item : root["nftables"]) {
    if (!item.is_object() || !item.contains("chain")) continue;
    const auto& c = item["chain"];
    if (c.value("hook", "") != "input" || c.value("type", "") != "filter") continue;
    input_chains[c.value("family", "") + " " + c.value("table", "") + " " + c.value("name", "")] = {
        c.value("policy", "accept"), false};
    fw.active = true;
  }
  for (const auto& item : root["nftables"]) {
    if (!item.is_object() || !item.contains("rule")) continue;
    const auto& r = item["rule"];
    std::string key = r.value("family", "") + " " + r.value("table", "") + " " + r.value("chain", "");
    auto chain = input_chains.find(key);
    if (chain == input_chains.end() || !r.contains("expr") || !r["expr"].is_array()) continue;
    std::string verdict = verdict_of(r["expr"]);
    if (verdict.empty() || chain->second.accepted) continue;
    if (port_match(r["expr"], port) != PortMatch::kMatches) continue;
    if (verdict == "accept") {
      chain->second.accepted = true;
    } else {
      fw.blocks_rdp_port = true;
      fw.detail = "rule " + std::to_string(r.value("handle", 0)) + " in " + key + " " + verdict +
                  "s TCP port " + std::to_string(port);
    }
  }
  for (const auto& [key, chain] : input_chains)
    if (chain.policy == "drop" && !chain.accepted && !*fw.blocks_rdp_port) {
      fw.blocks_rdp_port = true;
      fw.detail = "chain " + key + " drops by default and no rule accepts TCP port " + std::to_string(port);
    }
  if (!*fw.active) fw.detail = "no nftables input filter: nothing is filtered";
  return fw;
}

}  // namespace rdpmend::inspect::linux_host
