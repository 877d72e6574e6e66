#pragma once
// Diagnosis: host state + recent symptoms -> findings with evidence and the actions that fix them, and
// one ordered list of actions for the whole host (each action once, in catalog order).

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "diagnosis/diagnosis_catalog.h"
#include "events/detection.h"
#include "inspect/host_state.h"

namespace rdpmend::diagnosis {

struct Finding {
  const FindingRule* rule = nullptr;
  std::vector<std::pair<std::string, nlohmann::json>> state;  // pointer -> value
  std::vector<events::SymptomReport> symptoms;                // the recent symptoms pointing here
  std::vector<std::string> by_hand;  // the commands that fix it by hand, from the rule's by_hand pointer
};

// An action the findings call for that is not proposed: a file it needs was refused (docs/SECURITY.md).
struct HeldAction {
  std::string action;
  std::string role;  // the refused file's role
  std::string path;
  std::string reason;  // the refusal id
};

struct Diagnosis {
  const DiagnosisCatalog* catalog = nullptr;       // the rules and actions it names
  std::vector<Finding> findings;                   // most severe first
  std::vector<std::string> actions;                // ordered, each once
  std::vector<HeldAction> held;                    // called for, but held back by a refused file
  std::vector<events::SymptomReport> unconfirmed;  // symptoms no state confirms (hints only)
};

// The document the rules point into: the host state's JSON plus "rdp_service" (the catalog's service for
// the host's platform: TermService on Windows, xrdp on Linux).
nlohmann::json diagnosis_document(const inspect::HostState& state, const DiagnosisCatalog& catalog);

Diagnosis diagnose(const inspect::HostState& state, const std::vector<events::SymptomReport>& symptoms,
                   const DiagnosisCatalog& catalog);

nlohmann::ordered_json diagnosis_to_json(const Diagnosis& diagnosis, const DiagnosisCatalog& catalog);

}  // namespace rdpmend::diagnosis
