#pragma once
// The correlation rules, as data (policies/catalog/diagnosis.json, beside the detection rules): each
// finding names the host state that confirms it (conditions on JSON pointers into the host state), the
// symptoms that point to it, the state facts to show as evidence, and the actions that fix it in order.
// Findings come from state only: events are hints, state is truth.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "events/catalog.h"

namespace rdpmend::diagnosis {

struct StateCondition {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kAll, kAny };
  Op op = Op::kEquals;
  std::string pointer;  // "/certificate/info/expired"; a "*" segment means "any element of this list"
  std::vector<nlohmann::json> values;
  std::vector<StateCondition> children;
};

// What the planner must know of an action beyond its id: a service restart interrupts sessions and is
// only worth it after another change in the same plan.
enum class ActionKind { kChange, kServiceStart, kServiceRestart };

// "change", "service-start", "service-restart" (the catalog's "kind"); nullopt for anything else.
std::optional<ActionKind> action_kind_from_id(std::string_view id);

struct ActionDefinition {
  std::string id;
  int order = 0;  // plans run actions by this order: key permissions, certificate, firewall, service last
  std::string summary;
  ActionKind kind = ActionKind::kChange;
  // The files it reads or changes, by role (inspect::kRoles): a refused one holds the action back.
  std::vector<std::string> needs_trusted;
  // Actions it makes needless when both are planned (a new certificate pair comes with a readable key; a
  // service that is started needs no restart).
  std::vector<std::string> subsumes;
};

struct FindingRule {
  std::string id;
  events::Severity severity = events::Severity::kError;
  std::string summary;
  std::vector<std::string> platforms;
  std::vector<StateCondition> when;   // all must hold
  std::vector<std::string> evidence;  // JSON pointers shown as state evidence
  std::vector<std::string> symptoms;  // symptom ids that point to this finding
  std::vector<std::string> actions;   // in the order they fix it
  // Optional: a JSON pointer to the list of commands an administrator runs to fix it by hand, for a fix the
  // policy leaves off by default (the firewall: /firewall/restore_commands).
  std::string by_hand;
};

struct DiagnosisCatalog {
  std::map<std::string, std::string> rdp_services;  // platform -> the service that carries the listener
  std::vector<ActionDefinition> actions;
  std::vector<FindingRule> findings;

  const ActionDefinition* action(std::string_view id) const;
  std::string_view rdp_service(std::string_view platform) const;  // empty for an unknown platform
};

// Symptom ids are checked against the detection catalog.
Result<DiagnosisCatalog> parse_diagnosis_catalog(std::string_view json_text, const std::string& origin,
                                                 const events::Catalog& detection);
const DiagnosisCatalog& default_diagnosis_catalog();

// True when the condition holds in the document; a missing, null or empty value never holds.
bool holds(const StateCondition& condition, const nlohmann::json& document);

// Values at a pointer with "*" segments (empty when nothing is there).
std::vector<const nlohmann::json*> values_at(const nlohmann::json& document, std::string_view pointer);

}  // namespace rdpmend::diagnosis
