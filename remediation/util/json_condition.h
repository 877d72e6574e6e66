#pragma once
// The condition grammar both catalogs share (the detection catalog's conditions on event fields, the
// diagnosis catalog's on host state): a condition is an object with exactly one operator. "all" and "any"
// hold a non-empty list of conditions and take no subject; every other operator tests the value its subject
// names
// ("field" / "state"). What an operator's operand may be is the catalog's; the rest is here, once.

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/strict_json.h"

namespace rdpmend::util {

// C has `Op op` (with Op::kAll and Op::kAny), `std::vector<C> children` and a string member for the subject.
template <typename C>
struct ConditionOperator {
  const char* key;
  typename C::Op op;
  // Reads object[key] into the condition; throws JsonFailure when it has the wrong form.
  void (*read)(const nlohmann::json& object, const char* key, const std::string& where, C& condition);
};

template <typename C>
struct ConditionGrammar {
  const char* subject;                          // the key naming what an operator tests
  std::string C::*subject_member;               // where the subject goes
  std::vector<ConditionOperator<C>> operators;  // read in this order, after "all" and "any"
  const char* listing;                          // the operators as the error names them
  void (*check_subject)(const std::string& subject, const std::string& where) = nullptr;

  std::vector<const char*> keys() const {
    std::vector<const char*> out{subject};
    for (const auto& o : operators) out.push_back(o.key);
    out.push_back("all");
    out.push_back("any");
    return out;
  }
};

template <typename C>
C parse_condition(const nlohmann::json& j, const std::string& where, const ConditionGrammar<C>& grammar) {
  check_keys(j, where, grammar.keys());
  C c;
  int ops = 0;
  for (auto [group, op] : {std::pair{"all", C::Op::kAll}, std::pair{"any", C::Op::kAny}}) {
    auto it = j.find(group);
    if (it == j.end()) continue;
    ++ops;
    c.op = op;
    if (!it->is_array() || it->empty())
      throw JsonFailure{where, std::string("'") + group + "' must be a non-empty list"};
    std::size_t i = 0;
    for (const auto& k : *it)
      c.children.push_back(parse_condition(k, json_item_path(where, group, i++), grammar));
  }
  for (const auto& o : grammar.operators) {
    if (!j.contains(o.key)) continue;
    ++ops;
    c.op = o.op;
    o.read(j, o.key, where, c);
  }
  if (ops != 1)
    throw JsonFailure{where,
                      std::string("a condition needs exactly one of ") + grammar.listing + ", all, any"};
  bool group = c.op == C::Op::kAll || c.op == C::Op::kAny;
  if (group && j.contains(grammar.subject))
    throw JsonFailure{where, std::string("'all'/'any' take no '") + grammar.subject + "'"};
  if (!group) {
    c.*grammar.subject_member = string_at(j, grammar.subject, where);
    if (grammar.check_subject) grammar.check_subject(c.*grammar.subject_member, where);
  }
  return c;
}

// Whether `c` holds: "all" and "any" over the children, `leaf(condition)` for every other operator.
template <typename C, typename Leaf>
bool condition_holds(const C& c, const Leaf& leaf) {
  switch (c.op) {
    case C::Op::kAll:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const C& k) { return condition_holds(k, leaf); });
    case C::Op::kAny:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const C& k) { return condition_holds(k, leaf); });
    default:
      return leaf(c);
  }
}

}  // namespace rdpmend::util
